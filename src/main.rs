//! The `dateline` binary: parse arguments, run, and turn the outcome into an exit code
//! (DESIGN.md: 0 success, 1 runtime failure, 2 usage error).

mod cli;

use clap::Parser;
use std::process::ExitCode;

// Indexing allocates for every token, paragraph and document; mimalloc's thread-local
// heaps make that cheaper than glibc's malloc (bench/run.py).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // --help and --version exit 0, bad arguments 2; a closed stdout is no error.
            let _ = error.print();
            return ExitCode::from(error.exit_code().clamp(0, 255) as u8);
        }
    };
    match cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => report(&error),
    }
}

fn report(error: &anyhow::Error) -> ExitCode {
    let chain = || error.chain();
    // `dateline search x | head`: a closed pipe is a normal end, as for any Unix tool.
    if chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    }) {
        return ExitCode::SUCCESS;
    }
    eprintln!("dateline: {error:#}");
    if chain().any(|e| e.is::<dateline::UsageError>()) {
        ExitCode::from(2)
    } else {
        ExitCode::from(1)
    }
}

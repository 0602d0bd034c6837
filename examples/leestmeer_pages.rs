//! Turns the leestmeer feed corpus (`../shared/corpus/leestmeer/*.jsonl[.gz]`) into a
//! folder of saved HTML pages, one per item, to index real Dutch text at scale:
//!
//! ```sh
//! cargo run --release --example leestmeer_pages -- \
//!     ../shared/corpus/leestmeer/leestmeer-2012-2019-07.jsonl.gz /tmp/leestmeer-pages
//! ```
//!
//! Pages go to `<out>/<first category>/<id>.html`. `--limit N` stops after N pages,
//! `--every K` takes every K-th item (for samples).

#[path = "leestmeer/convert.rs"]
mod convert;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: leestmeer_pages <input.jsonl[.gz]> <out-dir> [--limit N] [--every K]";

fn main() -> ExitCode {
    if std::env::args().any(|arg| arg == "-h" || arg == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let (input, out, selection) = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("leestmeer_pages: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    match convert::convert(&input, &out, selection) {
        Ok(written) => {
            eprintln!(
                "wrote {} pages to {} in {:.1} s",
                written.len(),
                out.display(),
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("leestmeer_pages: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse_args(
    mut args: impl Iterator<Item = String>,
) -> Result<(PathBuf, PathBuf, convert::Selection), String> {
    let mut paths = Vec::new();
    let mut selection = convert::Selection::default();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--limit" | "--every" => {
                let value = args.next().ok_or(format!("{arg} needs a number"))?;
                let number: usize = value
                    .parse()
                    .map_err(|_| format!("{arg} needs a number, not {value:?}"))?;
                if arg == "--limit" {
                    selection.limit = Some(number);
                } else if number == 0 {
                    return Err("--every needs a number of 1 or more".to_string());
                } else {
                    selection.every = number;
                }
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            path => paths.push(PathBuf::from(path)),
        }
    }
    match <[PathBuf; 2]>::try_from(paths) {
        Ok([input, out]) => Ok((input, out, selection)),
        Err(_) => Err("give an input file and an output folder".to_string()),
    }
}

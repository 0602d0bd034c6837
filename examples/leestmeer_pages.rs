//! Turns the leestmeer feed corpus (`../shared/corpus/leestmeer/*.jsonl[.gz]`) into a
//! folder of saved HTML pages, one per item, to index real Dutch text at scale:
//!
//! ```sh
//! cargo run --release --example leestmeer_pages -- \
//!     ../shared/corpus/leestmeer/leestmeer-2012-2019-07.jsonl.gz /tmp/leestmeer-pages
//! ```
//!
//! Pages go to `<out>/<first category>/<id>.html` (`examples/leestmeer/convert.rs` says
//! what a page holds and which are windows-1252 or carry a byte-order mark, counting the
//! pages written from 1). `--limit N` stops after N pages, `--every K` takes every K-th
//! item (for samples), `--skip N` starts after the first N items and `--last N` takes the
//! last N items (the file is sorted by date: the latest slice). `--manifest FILE` writes
//! one JSON object per page written, in order: `{"relative", "title", "id",
//! "source_domain", "url", "body_chars", "encoding"}`.

#[path = "leestmeer/convert.rs"]
mod convert;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: leestmeer_pages <input.jsonl[.gz]> <out-dir> [--limit N] [--every K] \
                     [--skip N | --last N] [--manifest FILE]";

struct Args {
    input: PathBuf,
    out: PathBuf,
    selection: convert::Selection,
    skip: usize,
    last: Option<usize>,
    manifest: Option<PathBuf>,
}

fn main() -> ExitCode {
    if std::env::args().any(|arg| arg == "-h" || arg == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("leestmeer_pages: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("leestmeer_pages: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> std::io::Result<()> {
    let started = Instant::now();
    let skip = match args.last {
        Some(last) => convert::count_items(&args.input)?.saturating_sub(last),
        None => args.skip,
    };
    let written = convert::convert_from(&args.input, &args.out, skip, args.selection)?;
    let writing = started.elapsed();
    if let Some(path) = &args.manifest {
        let file = File::create(path)
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        let mut file = BufWriter::new(file);
        for page in &written {
            serde_json::to_writer(&mut file, page)?;
            file.write_all(b"\n")?;
        }
        file.flush()?;
    }
    eprintln!(
        "wrote {} pages (from item {}) to {} in {:.1} s",
        written.len(),
        skip + 1,
        args.out.display(),
        writing.as_secs_f64()
    );
    Ok(())
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut paths = Vec::new();
    let mut selection = convert::Selection::default();
    let mut skip = 0;
    let mut last = None;
    let mut manifest = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--limit" | "--every" | "--skip" | "--last" => {
                let value = args.next().ok_or(format!("{arg} needs a number"))?;
                let number: usize = value
                    .parse()
                    .map_err(|_| format!("{arg} needs a number, not {value:?}"))?;
                match arg.as_str() {
                    "--limit" => selection.limit = Some(number),
                    "--every" if number == 0 => {
                        return Err("--every needs a number of 1 or more".to_string());
                    }
                    "--every" => selection.every = number,
                    "--skip" => skip = number,
                    _ => last = Some(number),
                }
            }
            "--manifest" => {
                let value = args.next().ok_or("--manifest needs a file")?;
                manifest = Some(PathBuf::from(value));
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            path => paths.push(PathBuf::from(path)),
        }
    }
    if skip > 0 && last.is_some() {
        return Err("give --skip or --last, not both".to_string());
    }
    match <[PathBuf; 2]>::try_from(paths) {
        Ok([input, out]) => Ok(Args {
            input,
            out,
            selection,
            skip,
            last,
            manifest,
        }),
        Err(_) => Err("give an input file and an output folder".to_string()),
    }
}

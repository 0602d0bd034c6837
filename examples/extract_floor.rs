//! The floor of `dateline index`: walk, read, decode and extract every page in parallel,
//! as the indexer does, but index nothing. `bench/run.py` compares the two.
//!
//! Usage: `cargo run --release --example extract_floor -- <folder>`

use rayon::prelude::*;
use std::time::Instant;

// The allocator of the `dateline` binary, so that the floor is measured as it runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let folder = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: extract_floor <folder>"))?;
    let started = Instant::now();
    let files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(&folder)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    let (pages, articles) = files
        .par_iter()
        .map(|path| {
            let Ok(bytes) = std::fs::read(path) else {
                return (0, 0);
            };
            let page = dateline::extract::Page {
                path: path.clone(),
                bytes,
                modified: None,
            };
            match dateline::extract::articles(&page) {
                Ok(articles) => (1, articles.len()),
                Err(_) => (0, 0),
            }
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!(
        "{{\"files\": {}, \"pages\": {pages}, \"articles\": {articles}, \"seconds\": {:.3}}}",
        files.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

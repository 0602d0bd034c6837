//! In-process query latency: each query of a fixed workload runs many times against an
//! index, and the p50/p99 of each query are printed as JSON for `bench/run.py`. Three
//! stages: `counted` is `dateline::search::count_and_top` (top 10 and exact count: the
//! reference engines' workload); `ranked` is `dateline::search::rank` (also the agency,
//! city and section facet counts); `shown` is `dateline::search::run_on`, which also reads
//! the 10 articles and cuts their snippets: what `dateline search` does.
//!
//! Usage: `cargo run --release --example query_bench -- <index> [runs]`

use dateline::search::{Request, count_and_top, rank, run_on};
use std::time::Instant;

// The allocator of the `dateline` binary, so that queries are measured as it runs them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Queries of the kind people type into a news search: names, places, topics, phrases.
const QUERIES: &[&str] = &[
    "Verstappen",
    "Max Verstappen",
    "kabinet",
    "Rutte",
    "brexit",
    "politie",
    "Ajax",
    "klimaat",
    "stikstof",
    "Trump",
    "Amsterdam",
    "brand",
    "ongeluk",
    "verkiezingen",
    "onderwijs",
    "\"Tweede Kamer\"",
    "Feyenoord",
    "economie",
    "gemeente",
    "rechter",
    "Oekraïne",
    "fabriek",
];

/// A workload: how the request of each query is narrowed.
type Filter = fn(&mut Request);

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: query_bench <index> [runs]"))?;
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(200);
    let index = dateline::index::open(std::path::Path::new(&dir))?;
    // One searcher for the whole run, as a long-lived process would keep it; the whole
    // `dateline search` process (which opens the index each time) is measured apart.
    let searcher = dateline::index::reader(&index)?.searcher();
    let workloads: [(&str, Filter); 3] = [
        ("plain", |_| {}),
        ("agency", |r| r.agencies.push("ANP".into())),
        ("section", |r| r.section = Some("binnenland".into())),
    ];
    let mut rows = Vec::new();
    for (name, filter) in workloads {
        for query in QUERIES {
            let mut request = Request::new(query);
            filter(&mut request);
            let total = run_on(&searcher, &request)?.total;
            let stages: [(&str, &dyn Fn() -> bool); 3] = [
                ("counted", &|| count_and_top(&searcher, &request).is_ok()),
                ("ranked", &|| rank(&searcher, &request).is_ok()),
                ("shown", &|| run_on(&searcher, &request).is_ok()),
            ];
            for (stage, search) in stages {
                for _ in 0..runs / 10 {
                    assert!(search()); // warm the page cache
                }
                let mut micros: Vec<f64> = (0..runs)
                    .map(|_| {
                        let started = Instant::now();
                        assert!(search());
                        started.elapsed().as_secs_f64() * 1e6
                    })
                    .collect();
                micros.sort_by(f64::total_cmp);
                let p50 = micros[micros.len() / 2];
                let p99 = micros[(micros.len() * 99 / 100).min(micros.len() - 1)];
                rows.push(format!(
                    "{{\"workload\": \"{name}\", \"stage\": \"{stage}\", \"query\": {query:?}, \"total\": {total}, \"p50_us\": {p50:.1}, \"p99_us\": {p99:.1}}}"
                ));
            }
        }
    }
    println!("[{}]", rows.join(",\n"));
    Ok(())
}

//! A bounded load on a running `dateline serve`: N requests to `/api/search`, C at a
//! time, each on its own connection, queries taken in turn from a file (one a line,
//! e.g. pasted headlines). Prints the latency percentiles and every status seen.
//!
//! cargo run --release --example serve_load -- 127.0.0.1:7700 queries.txt 5000 64

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [address, queries, requests, concurrency] = &args[..] else {
        eprintln!("usage: serve_load <host:port> <queries file> <requests> <at once>");
        std::process::exit(2);
    };
    let queries: Vec<String> = std::fs::read_to_string(queries)
        .expect("reading the queries")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(encode)
        .collect();
    let requests: usize = requests.parse().expect("a number of requests");
    let concurrency: usize = concurrency.parse().expect("a number at once");
    let next = Arc::new(AtomicUsize::new(0));
    let results = Arc::new(Mutex::new(Vec::with_capacity(requests)));
    let queries = Arc::new(queries);
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (next, results, queries, address) = (
                Arc::clone(&next),
                Arc::clone(&results),
                Arc::clone(&queries),
                address.clone(),
            );
            std::thread::spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= requests {
                        break;
                    }
                    let query = &queries[i % queries.len()];
                    let sent = Instant::now();
                    let status = get(&address, &format!("/api/search?q={query}"));
                    results.lock().unwrap().push((sent.elapsed(), status));
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    let wall = started.elapsed();
    let mut results = results.lock().unwrap().clone();
    results.sort_by_key(|(latency, _)| *latency);
    let at = |p: f64| results[((results.len() as f64 * p) as usize).min(results.len() - 1)].0;
    let mut statuses = std::collections::BTreeMap::new();
    for (_, status) in &results {
        *statuses.entry(*status).or_insert(0) += 1;
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{} requests, {concurrency} at a time, in {:.1} s ({:.0}/s): p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms; statuses {statuses:?}",
        results.len(),
        wall.as_secs_f64(),
        results.len() as f64 / wall.as_secs_f64(),
        ms(at(0.50)),
        ms(at(0.90)),
        ms(at(0.99)),
        ms(results[results.len() - 1].0),
    );
}

fn get(address: &str, path: &str) -> u16 {
    let Ok(mut stream) = TcpStream::connect(address) else {
        return 0;
    };
    let _ = write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    );
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response[..response.len().min(20)])
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// Percent-encoding for a query string value.
fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.trim().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

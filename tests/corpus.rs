//! Real Dutch news at some scale: 2,000 leestmeer feed items (`../shared/corpus`) turned
//! into saved HTML pages by `examples/leestmeer_pages.rs`, indexed, and each of 200 pages
//! found again by its own title. Ignored when `../shared` is not beside the repo.

#[path = "../examples/leestmeer/convert.rs"]
pub mod convert;

use crate::util::repo;
use dateline::{index, search};
use std::time::Instant;

/// Items converted: every 49th of the corpus's 99,565, so the sample spans 2012–2019.
const SAMPLE_ITEMS: usize = 2_000;
const SAMPLE_STRIDE: usize = 49;
/// Pages searched for by their title, and the hits looked at for each.
const SEARCHED_PAGES: usize = 200;
const TOP_HITS: usize = 3;
/// The share of searched pages whose own article must be among the top hits.
const MIN_HIT_RATE: f64 = 0.95;
const SEED: u64 = 20_190_731;

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn leestmeer_pages_index_cleanly_and_are_found_by_their_titles() {
    let input = repo().join("../shared/corpus/leestmeer/leestmeer-2012-2019-07.jsonl.gz");
    let started = Instant::now();
    let temp = tempfile::tempdir().expect("creating a temp dir");
    let pages = temp.path().join("pages");
    let selection = convert::Selection {
        every: SAMPLE_STRIDE,
        limit: Some(SAMPLE_ITEMS),
    };
    let written = convert::convert(&input, &pages, selection).expect("converting the sample");
    assert_eq!(written.len(), SAMPLE_ITEMS);
    let converted = started.elapsed();

    let index_dir = temp.path().join("index");
    let mut warnings = Vec::new();
    let summary = index::update(
        &index_dir,
        &[pages],
        &index::Options::default(),
        &mut |event| {
            if let index::Event::Warning { path, message } = event {
                warnings.push(format!("{}: {message}", path.display()));
            }
        },
    )
    .expect("indexing the sample");
    let indexed = started.elapsed();
    assert!(
        summary.pages_skipped == 0 && summary.left_out.is_empty(),
        "{} pages skipped, left out: {:?}; warnings:\n{}",
        summary.pages_skipped,
        summary.left_out,
        warnings.join("\n")
    );
    assert_eq!(summary.pages_read, written.len(), "{summary:?}");

    let index = index::open(&index_dir).expect("opening the index");
    let searchable: Vec<(&convert::Written, String)> = written
        .iter()
        .map(|page| (page, title_query(&page.title)))
        .filter(|(_, query)| !query.is_empty())
        .collect();
    let mut misses = Vec::new();
    let sample = pick(searchable.len(), SEARCHED_PAGES, SEED);
    for &at in &sample {
        let (page, query) = &searchable[at];
        let mut request = search::Request::new(query);
        request.limit = TOP_HITS;
        let hits = match search::run(&index, &request) {
            Ok(hits) => hits,
            Err(e) => {
                misses.push(format!("{} {query:?}: {e:#}", page.relative));
                continue;
            }
        };
        if !hits
            .hits
            .iter()
            .any(|hit| hit.sources.contains(&format!("pages/{}", page.relative)))
        {
            misses.push(format!(
                "{} {:?}: {} matches, top: {:?}",
                page.relative,
                page.title,
                hits.total,
                hits.hits.iter().map(|h| &h.title).collect::<Vec<_>>()
            ));
        }
    }
    let rate = 1.0 - misses.len() as f64 / sample.len() as f64;
    println!(
        "leestmeer: {} pages, {} articles read, {} stories; own article in the top {TOP_HITS} \
         for {}/{} titles ({:.1}%); converted in {:.1} s, indexed by {:.1} s, searched by {:.1} s",
        summary.pages_read,
        summary.articles_read,
        summary.articles_in_index,
        sample.len() - misses.len(),
        sample.len(),
        rate * 100.0,
        converted.as_secs_f64(),
        indexed.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    for miss in &misses {
        println!("  missed: {miss}");
    }
    assert!(
        rate >= MIN_HIT_RATE,
        "own article in the top {TOP_HITS} for only {:.1}% of titles:\n{}",
        rate * 100.0,
        misses.join("\n")
    );
}

/// A title as a plain query: every character that is not a letter or digit (quotes,
/// colons, parentheses, `-`, `+`, `^`, `*`, `~`, brackets, `!`, `\`, …) becomes a space,
/// which is also where the analyzer splits words; lower case, so that no `AND`, `OR` or
/// `NOT` in a title is read as an operator. All words must match (the parser's default),
/// as they do in the page's own article, whose title is this one.
fn title_query(title: &str) -> String {
    let plain: String = title
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    plain
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// `count` distinct indices below `len`, the same on every run: a partial Fisher–Yates
/// shuffle driven by a 64-bit LCG (Knuth's MMIX constants).
fn pick(len: usize, count: usize, seed: u64) -> Vec<usize> {
    let mut state = seed;
    let mut order: Vec<usize> = (0..len).collect();
    let count = count.min(len);
    for at in 0..count {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let other = at + ((state >> 33) as usize) % (len - at);
        order.swap(at, other);
    }
    order.truncate(count);
    order
}

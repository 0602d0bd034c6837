//! What an index holds: articles, pages, stories on several pages, top facets, size.

use anyhow::Result;
use std::path::Path;
use tantivy::Index;
use tantivy::collector::{Count, FacetCollector};
use tantivy::query::AllQuery;

/// How many of each facet `stats` lists.
const TOP: usize = 10;

/// The contents of an index in numbers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Articles (stories) in the index.
    pub articles: u64,
    /// Pages read into the index.
    pub pages: u64,
    /// Stories found on more than one page.
    pub stories_on_several_pages: u64,
    /// The most frequent agencies with their article counts.
    pub top_agencies: Vec<(String, u64)>,
    /// The most frequent cities.
    pub top_cities: Vec<(String, u64)>,
    /// The most frequent sections.
    pub top_sections: Vec<(String, u64)>,
    /// Bytes on disk.
    pub index_bytes: u64,
}

/// Counts what the index at `dir` holds.
pub fn stats(index: &Index, dir: &Path) -> Result<Stats> {
    let searcher = crate::index::reader(index)?.searcher();
    let (articles, agencies, cities, sections) = searcher.search(
        &AllQuery,
        &(
            Count,
            facet(super::schema::AGENCY),
            facet(super::schema::CITY),
            facet(super::schema::SECTION),
        ),
    )?;
    let mut stories_on_several_pages = 0;
    for segment in searcher.segment_readers() {
        let counts = segment.fast_fields().u64(super::schema::SOURCE_COUNT)?;
        for doc in segment.doc_ids_alive() {
            if counts.first(doc).is_some_and(|n| n > 1) {
                stories_on_several_pages += 1;
            }
        }
    }
    let manifest = super::load_manifest(index, dir)?;
    Ok(Stats {
        articles: articles as u64,
        pages: manifest.pages.len() as u64,
        stories_on_several_pages,
        top_agencies: top_facets(&agencies, TOP),
        top_cities: top_facets(&cities, TOP),
        top_sections: top_facets(&sections, TOP),
        index_bytes: folder_bytes(dir),
    })
}

/// Counts every value of a one-level facet field over the hits.
pub fn facet(field: &str) -> FacetCollector {
    let mut collector = FacetCollector::for_field(field);
    collector.add_facet("/");
    collector
}

/// The `k` most frequent values of a facet, ties broken by name.
pub fn top_facets(counts: &tantivy::collector::FacetCounts, k: usize) -> Vec<(String, u64)> {
    let mut top: Vec<(String, u64)> = counts
        .get("/")
        .map(|(facet, count)| (facet_value(facet), count))
        .collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    top.truncate(k);
    top
}

/// The value of a one-level facet (`/Den Haag` → `Den Haag`).
pub fn facet_value(facet: &tantivy::schema::Facet) -> String {
    facet
        .to_path()
        .last()
        .map_or_else(String::new, |v| v.to_string())
}

fn folder_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

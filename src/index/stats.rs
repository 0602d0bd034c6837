//! What an index holds: articles, pages, stories on several pages, top facets, size.

use anyhow::Result;
use std::collections::HashMap;
use std::path::Path;
use tantivy::Index;
use tantivy::collector::{Collector, Count, SegmentCollector};
use tantivy::fastfield::FacetReader;
use tantivy::query::AllQuery;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

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
    /// The most frequent outlets.
    pub top_outlets: Vec<(String, u64)>,
    /// Articles by where their time came from: `page`, `age`, `file` (an estimate).
    pub time_sources: Vec<(String, u64)>,
    /// Bytes on disk.
    pub index_bytes: u64,
}

/// Counts what the index at `dir` holds.
pub fn stats(index: &Index, dir: &Path) -> Result<Stats> {
    let searcher = crate::index::reader(index)?.searcher();
    let (articles, (agencies, cities), (sections, outlets), time_sources) = searcher.search(
        &AllQuery,
        &(
            Count,
            (facet(super::schema::AGENCY), facet(super::schema::CITY)),
            (facet(super::schema::SECTION), facet(super::schema::OUTLET)),
            facet(super::schema::TIME_SOURCE),
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
        top_outlets: top_facets(&outlets, TOP),
        time_sources: top_facets(&time_sources, TOP),
        index_bytes: folder_bytes(dir),
    })
}

/// Counts every value of a one-level facet field over the hits.
pub fn facet(field: &str) -> FacetCounter {
    FacetCounter {
        field: field.to_string(),
    }
}

/// Value counts of one facet field. tantivy's `FacetCollector` maps every value of every
/// segment to its parent facet on each query, which costs as much for 3 hits as for
/// 30,000; this counts hits by value ordinal and names only the values that occur.
pub struct FacetCounter {
    field: String,
}

/// A facet's counts: value → hits.
pub type FacetCounts = HashMap<String, u64>;

impl Collector for FacetCounter {
    type Fruit = FacetCounts;
    type Child = SegmentFacetCounter;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let values = segment.facet_reader(&self.field)?;
        Ok(SegmentFacetCounter {
            counts: vec![0; values.num_facets()],
            values,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut total = FacetCounts::new();
        for fruit in fruits {
            for (value, count) in fruit {
                *total.entry(value).or_default() += count;
            }
        }
        Ok(total)
    }
}

pub struct SegmentFacetCounter {
    values: FacetReader,
    counts: Vec<u64>,
}

impl SegmentCollector for SegmentFacetCounter {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        for ordinal in self.values.facet_ords(doc) {
            self.counts[ordinal as usize] += 1;
        }
    }

    fn harvest(self) -> FacetCounts {
        // The values that occur, named in one walk down the segment's facet dictionary
        // (naming each apart seeks its block again: 4% of the query bench, perf).
        let ordinals: Vec<u64> = (0..)
            .zip(&self.counts)
            .filter(|&(_, &count)| count > 0)
            .map(|(ordinal, _)| ordinal)
            .collect();
        let mut named = ordinals.iter();
        let mut counts = FacetCounts::new();
        // A dictionary that cannot be read leaves the counts short, as a missing
        // value would: facet counts are a summary, not worth failing a search for.
        let _ = self
            .values
            .facet_dict()
            .sorted_ords_to_term_cb(&ordinals, |encoded| {
                let Some(&ordinal) = named.next() else {
                    return;
                };
                if let Ok(facet) = Facet::from_encoded(encoded.to_vec()) {
                    *counts.entry(facet_value(&facet)).or_default() +=
                        self.counts[ordinal as usize];
                }
            });
        counts
    }
}

/// The `k` most frequent values of a facet, ties broken by name.
pub fn top_facets(counts: &FacetCounts, k: usize) -> Vec<(String, u64)> {
    let mut top: Vec<(String, u64)> = counts.iter().map(|(v, &n)| (v.clone(), n)).collect();
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

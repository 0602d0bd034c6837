//! Output for scripts (DESIGN.md, "JSON output"). The wire shapes are their own
//! serialize-only structs, so renaming a Rust field cannot change the contract.

use super::display_id;
use crate::clock::rfc3339;
use crate::extract::Article;
use crate::index::Stats;
use crate::search::timeline::Timeline;
use crate::search::{self, Hit, Hits};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use std::io::{self, Write};
use std::path::Path;

#[derive(Serialize)]
struct SearchOutput<'a> {
    query: &'a str,
    /// The corrected query the hits answer, where `query` matched nothing; else null.
    corrected: Option<&'a str>,
    /// Other corrections that find articles.
    did_you_mean: Vec<Suggestion<'a>>,
    /// Whether no article has all the words, and the hits have any of them.
    any_word: bool,
    /// Where filters left nothing: each filter with how many match without it.
    without_filters: Vec<WithoutFilter<'a>>,
    total: usize,
    hits: Vec<SearchHitOutput<'a>>,
    facets: Facets<'a>,
}

#[derive(Serialize)]
struct WithoutFilter<'a> {
    filter: &'a str,
    total: usize,
}

#[derive(Serialize)]
struct Suggestion<'a> {
    query: &'a str,
    total: usize,
}

/// A hit's fields: what `search` prints for each hit, and `show` and `export` for each
/// article (with its text).
#[derive(Serialize)]
struct HitOutput<'a> {
    id: String,
    score: f32,
    kind: &'static str,
    title: &'a str,
    city: Option<&'a str>,
    agencies: &'a [String],
    section: Option<&'a str>,
    lang: &'a str,
    published: Option<String>,
    time_source: &'static str,
    outlet: Option<&'a str>,
    url: Option<&'a str>,
    sources: &'a [String],
    /// When the story came into the index (`follow` shows what came in since).
    first_indexed: Option<String>,
}

impl<'a> HitOutput<'a> {
    fn new(hit: &'a Hit) -> HitOutput<'a> {
        HitOutput {
            id: display_id(hit.id),
            score: hit.score,
            kind: hit.kind.as_str(),
            title: &hit.title,
            city: hit.city.as_deref(),
            agencies: &hit.agencies,
            section: hit.section.as_deref(),
            lang: &hit.lang,
            published: hit.published.map(rfc3339),
            time_source: hit.time_source.as_str(),
            outlet: hit.outlet.as_deref(),
            url: hit.url.as_deref(),
            sources: &hit.sources,
            first_indexed: hit
                .indexed
                .and_then(|indexed| crate::clock::from_unix(indexed.at))
                .map(rfc3339),
        }
    }
}

#[derive(Serialize)]
struct SearchHitOutput<'a> {
    #[serde(flatten)]
    hit: HitOutput<'a>,
    snippet: String,
}

#[derive(Serialize)]
struct WholeArticleOutput<'a> {
    #[serde(flatten)]
    hit: HitOutput<'a>,
    body: &'a str,
    pages: &'a [String],
    urls: &'a [String],
}

/// Writes a whole article (`show --json`, `export`) as one JSON object and a newline.
pub fn write_article(out: &mut impl Write, article: &search::Article) -> io::Result<()> {
    let output = WholeArticleOutput {
        hit: HitOutput::new(&article.hit),
        body: &article.body,
        pages: &article.pages,
        urls: &article.urls,
    };
    serde_json::to_writer(&mut *out, &output)?;
    writeln!(out)
}

#[derive(Serialize)]
struct Facets<'a> {
    agency: Counts<'a>,
    city: Counts<'a>,
    section: Counts<'a>,
    outlet: Counts<'a>,
}

/// Facet counts as a JSON object that keeps the most-frequent-first order.
struct Counts<'a>(&'a [(String, u64)]);

impl Serialize for Counts<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (value, count) in self.0 {
            map.serialize_entry(value, count)?;
        }
        map.end()
    }
}

/// Writes search hits as one JSON object and a newline.
pub fn write(out: &mut impl Write, hits: &Hits) -> io::Result<()> {
    let output = SearchOutput {
        query: &hits.query,
        corrected: hits.corrected.as_deref(),
        did_you_mean: hits
            .suggestions
            .iter()
            .map(|(query, total)| Suggestion {
                query,
                total: *total,
            })
            .collect(),
        any_word: hits.any_word,
        without_filters: hits
            .without_filters
            .iter()
            .map(|(filter, total)| WithoutFilter {
                filter,
                total: *total,
            })
            .collect(),
        total: hits.total,
        hits: hits.hits.iter().map(search_hit).collect(),
        facets: Facets {
            agency: Counts(&hits.agencies),
            city: Counts(&hits.cities),
            section: Counts(&hits.sections),
            outlet: Counts(&hits.outlets),
        },
    };
    serde_json::to_writer(&mut *out, &output)?;
    writeln!(out)
}

#[derive(Serialize)]
struct ArticleOutput<'a> {
    page: String,
    kind: &'static str,
    title: &'a str,
    city: Option<&'a str>,
    agencies: &'a [String],
    section: Option<&'a str>,
    age: Option<&'a str>,
    published: Option<String>,
    time_source: &'static str,
    lang: &'a str,
    outlet: Option<&'a str>,
    url: Option<&'a str>,
    body: &'a str,
}

/// Writes a page's articles, one JSON object per line, in page order.
pub fn write_articles(out: &mut impl Write, page: &Path, articles: &[Article]) -> io::Result<()> {
    for article in articles {
        let output = ArticleOutput {
            page: page.to_string_lossy().into_owned(),
            kind: article.kind.as_str(),
            title: &article.title,
            city: article.city.as_deref(),
            agencies: &article.agencies,
            section: article.section.as_deref(),
            age: article.age.as_ref().map(|a| a.text.as_str()),
            published: article.published.map(rfc3339),
            time_source: article.time_source.as_str(),
            lang: &article.lang,
            outlet: article.outlet.as_deref(),
            url: article.url.as_deref(),
            body: &article.body,
        };
        serde_json::to_writer(&mut *out, &output)?;
        writeln!(out)?;
    }
    Ok(())
}

#[derive(Serialize)]
struct StatsOutput<'a> {
    articles: u64,
    pages: u64,
    stories_on_several_pages: u64,
    top_agencies: Counts<'a>,
    top_cities: Counts<'a>,
    top_sections: Counts<'a>,
    top_outlets: Counts<'a>,
    time_sources: Counts<'a>,
    index_bytes: u64,
}

/// Writes index statistics as one JSON object.
pub fn write_stats(out: &mut impl Write, stats: &Stats) -> io::Result<()> {
    let output = StatsOutput {
        articles: stats.articles,
        pages: stats.pages,
        stories_on_several_pages: stats.stories_on_several_pages,
        top_agencies: Counts(&stats.top_agencies),
        top_cities: Counts(&stats.top_cities),
        top_sections: Counts(&stats.top_sections),
        top_outlets: Counts(&stats.top_outlets),
        time_sources: Counts(&stats.time_sources),
        index_bytes: stats.index_bytes,
    };
    serde_json::to_writer(&mut *out, &output)?;
    writeln!(out)
}

#[derive(Serialize)]
struct TimelineOutput<'a> {
    query: &'a str,
    corrected: Option<&'a str>,
    by: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    split: Option<&'static str>,
    total: u64,
    undated: u64,
    buckets: Vec<BucketOutput<'a>>,
}

#[derive(Serialize)]
struct BucketOutput<'a> {
    start: String,
    count: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    split: Option<Counts<'a>>,
}

/// Writes a timeline as one JSON object.
pub fn write_timeline(out: &mut impl Write, timeline: &Timeline) -> io::Result<()> {
    let output = TimelineOutput {
        query: &timeline.query,
        corrected: timeline.corrected.as_deref(),
        by: timeline.by.as_str(),
        split: timeline.split.map(|s| s.as_str()),
        total: timeline.total,
        undated: timeline.undated,
        buckets: timeline
            .buckets
            .iter()
            .map(|bucket| BucketOutput {
                start: bucket.start.to_string(),
                count: bucket.count,
                split: timeline.split.map(|_| Counts(&bucket.split)),
            })
            .collect(),
    };
    serde_json::to_writer(&mut *out, &output)?;
    writeln!(out)
}

#[derive(Serialize)]
struct FollowedOutput<'a> {
    name: &'a str,
    query: &'a str,
    filters: FiltersOutput<'a>,
    /// When it was last shown before now.
    since: Option<String>,
    new: Vec<SearchHitOutput<'a>>,
    updated: Vec<SearchHitOutput<'a>>,
    /// Whether the index was made again, so counting starts over.
    restarted: bool,
}

/// A saved search's filters, as typed (`since`/`until` as written: `7d`).
#[derive(Serialize)]
struct FiltersOutput<'a> {
    agency: &'a [String],
    city: &'a [String],
    section: Option<&'a str>,
    outlet: &'a [String],
    lang: Option<&'a str>,
    since: Option<&'a str>,
    until: Option<&'a str>,
}

impl<'a> FiltersOutput<'a> {
    fn new(criteria: &'a search::Criteria) -> FiltersOutput<'a> {
        FiltersOutput {
            agency: &criteria.agencies,
            city: &criteria.cities,
            section: criteria.section.as_deref(),
            outlet: &criteria.outlets,
            lang: criteria.lang.as_deref(),
            since: criteria.since.as_deref(),
            until: criteria.until.as_deref(),
        }
    }
}

fn search_hit(hit: &Hit) -> SearchHitOutput<'_> {
    SearchHitOutput {
        hit: HitOutput::new(hit),
        snippet: hit.snippet.to_html(),
    }
}

/// Writes what is new for saved searches: one object per saved search and line.
pub fn write_followed(
    out: &mut impl Write,
    followed: &[crate::follow::Followed],
) -> io::Result<()> {
    for one in followed {
        let output = FollowedOutput {
            name: &one.saved.name,
            query: &one.saved.criteria.query,
            filters: FiltersOutput::new(&one.saved.criteria),
            since: crate::clock::from_unix(one.saved.shown_at).map(rfc3339),
            new: one.new.iter().map(search_hit).collect(),
            updated: one.updated.iter().map(search_hit).collect(),
            restarted: one.restarted,
        };
        serde_json::to_writer(&mut *out, &output)?;
        writeln!(out)?;
    }
    Ok(())
}

#[derive(Serialize)]
struct SavedOutput<'a> {
    name: &'a str,
    query: &'a str,
    filters: FiltersOutput<'a>,
    last_shown: Option<String>,
}

/// Writes the saved searches: one object per saved search and line.
pub fn write_saved(out: &mut impl Write, saved: &[crate::follow::Saved]) -> io::Result<()> {
    for one in saved {
        let output = SavedOutput {
            name: &one.name,
            query: &one.criteria.query,
            filters: FiltersOutput::new(&one.criteria),
            last_shown: crate::clock::from_unix(one.shown_at).map(rfc3339),
        };
        serde_json::to_writer(&mut *out, &output)?;
        writeln!(out)?;
    }
    Ok(())
}

//! Whole articles: by id (`show`), and every match of a search, in order, one at a time
//! (`export`).

use super::{Hit, Request, Snippet, Sort, build_query, effective_sort, hit_of, unrunnable};
use crate::index::schema::{self, Fields};
use crate::index::{Appearance, Story};
use crate::usage_error;
use anyhow::Result;
use std::ops::Bound;
use tantivy::collector::{Collector, DocSetCollector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::RangeQuery;
use tantivy::schema::TantivyDocument;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader, Term};

/// An article whole: its hit (the fields search prints), its text, every page it was
/// found on (absolute paths) and every URL those pages give.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub hit: Hit,
    pub body: String,
    pub pages: Vec<String>,
    pub urls: Vec<String>,
}

impl Article {
    /// The article of a story, with its score (0 where it was not searched for).
    pub fn new(story: Story, score: Score) -> Article {
        let hit = hit_of(&story, score, Snippet::default());
        let mut pages: Vec<String> = story
            .appearances
            .iter()
            .map(|a: &Appearance| a.page.clone())
            .collect();
        pages.sort_unstable();
        pages.dedup();
        let urls = story.urls().into_iter().map(str::to_string).collect();
        Article {
            hit,
            body: story.body,
            pages,
            urls,
        }
    }
}

/// Fewest hex digits of an id that name an article.
pub const MIN_ID_DIGITS: usize = 6;

/// The articles with these ids, in the order given. An id may be shortened to a unique
/// prefix of [`MIN_ID_DIGITS`] or more of the hex digits search prints.
pub fn find_stories(searcher: &Searcher, ids: &[String]) -> Result<Vec<Article>> {
    let fields = Fields::new(&searcher.index().schema())?;
    ids.iter()
        .map(|id| find_story(searcher, &fields, id))
        .collect()
}

fn find_story(searcher: &Searcher, fields: &Fields, id: &str) -> Result<Article> {
    let (low, high) = id_bounds(id)?;
    let range = RangeQuery::new(
        Bound::Included(Term::from_field_u64(fields.id, low)),
        Bound::Included(Term::from_field_u64(fields.id, high)),
    );
    let found = searcher.search(&range, &DocSetCollector)?;
    let stories = found
        .into_iter()
        .map(|address| {
            let doc: TantivyDocument = searcher.doc(address)?;
            Story::from_document(&doc, fields)
        })
        .collect::<Result<Vec<Story>>>()?;
    the_one(id, stories)
}

/// The lowest and highest id an id as typed stands for; one that is not an id is a
/// usage error.
pub fn id_bounds(id: &str) -> Result<(u64, u64)> {
    let digits = id.trim().to_ascii_lowercase();
    id_range(&digits).ok_or_else(|| {
        usage_error(format!(
            "{id:?} is not an article id: give {MIN_ID_DIGITS} to 16 of the hex digits search prints"
        ))
    })
}

/// The article an id as typed names, of the stories whose ids start with it: none or
/// several are usage errors that say so.
pub fn the_one(id: &str, mut stories: Vec<Story>) -> Result<Article> {
    match stories.len() {
        0 => Err(usage_error(format!("no article has the id {id}"))),
        1 => Ok(Article::new(stories.remove(0), 0.0)),
        n => {
            stories.sort_by_key(|s| s.id);
            let some: Vec<String> = stories
                .iter()
                .take(3)
                .map(|s| crate::output::display_id(s.id))
                .collect();
            Err(usage_error(format!(
                "the id {id} is the start of {n} articles' ids ({}…): give more digits",
                some.join(", ")
            )))
        }
    }
}

/// The ids that start with these hex digits, lowest and highest.
fn id_range(digits: &str) -> Option<(u64, u64)> {
    if !(MIN_ID_DIGITS..=16).contains(&digits.len())
        || !digits.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return None;
    }
    let prefix = u64::from_str_radix(digits, 16).ok()?;
    let free_bits = 4 * (16 - digits.len() as u32);
    let low = prefix.checked_shl(free_bits).unwrap_or(0);
    let high = low | 1u64.checked_shl(free_bits).map_or(u64::MAX, |bit| bit - 1);
    Some((low, high))
}

/// Calls `each` with every article the search of `request` matches, in the search's
/// order, and returns how many there were. The query is the one search answers: where
/// the query as typed finds nothing, its correction, or any of its words (as `search`
/// says). Only the sort keys of the matches are held (32 bytes each); the articles are
/// read one at a time.
pub fn each_match(
    searcher: &Searcher,
    request: &Request,
    mut each: impl FnMut(Article) -> Result<()>,
) -> Result<usize> {
    let (answered, request) = super::as_answered(searcher, request)?;
    let fields = Fields::new(&searcher.index().schema())?;
    let query = build_query(&fields, &request, answered.any_word)?;
    let sort = effective_sort(&request);
    let mut matches = searcher
        .search(
            &query,
            &AllMatches {
                scoring: sort == Sort::Relevance,
            },
        )
        .map_err(|e| unrunnable(e, &request))?;
    // The order of `search`: score, or time, then score; ties by id.
    matches.sort_by(|a, b| {
        let by_score = b.score.total_cmp(&a.score);
        let by_time = match sort {
            Sort::Relevance => std::cmp::Ordering::Equal,
            Sort::Date => b.published.cmp(&a.published),
            Sort::Oldest => a.published.cmp(&b.published),
        };
        by_time.then(by_score).then(a.id.cmp(&b.id))
    });
    let total = matches.len();
    for found in matches {
        let doc: TantivyDocument = searcher.doc(found.address)?;
        each(Article::new(
            Story::from_document(&doc, &fields)?,
            found.score,
        ))?;
    }
    Ok(total)
}

/// One match's sort keys.
struct Match {
    score: Score,
    /// Unix seconds; an article without a time sorts as the oldest.
    published: i64,
    id: u64,
    address: DocAddress,
}

/// Every match with its sort keys.
struct AllMatches {
    scoring: bool,
}

struct SegmentMatches {
    segment: SegmentOrdinal,
    ids: Column<u64>,
    published: Column<tantivy::DateTime>,
    matches: Vec<Match>,
}

impl Collector for AllMatches {
    type Fruit = Vec<Match>;
    type Child = SegmentMatches;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentMatches> {
        Ok(SegmentMatches {
            segment,
            ids: reader.fast_fields().u64(schema::ID)?,
            published: reader.fast_fields().date(schema::PUBLISHED)?,
            matches: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Match>>) -> tantivy::Result<Vec<Match>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentMatches {
    type Fruit = Vec<Match>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.matches.push(Match {
            score,
            published: self
                .published
                .first(doc)
                .map_or(i64::MIN, |t| t.into_timestamp_secs()),
            id: self.ids.first(doc).unwrap_or(0),
            address: DocAddress::new(self.segment, doc),
        });
    }

    fn harvest(self) -> Vec<Match> {
        self.matches
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_prefix_is_a_range_of_ids() {
        assert_eq!(
            id_range("4d2aca"),
            Some((0x4d2aca0000000000, 0x4d2acaffffffffff))
        );
        assert_eq!(
            id_range("4d2aca5245d14b88"),
            Some((0x4d2aca5245d14b88, 0x4d2aca5245d14b88))
        );
        for wrong in ["4d2ac", "4d2acx", "4d2aca5245d14b88a", ""] {
            assert_eq!(id_range(wrong), None, "{wrong}");
        }
    }
}

//! A story: one article body and every page it appears on.
//!
//! DESIGN.md: the same story on several pages is one article, listing all its pages;
//! where the pages disagree about its time, the estimate from the smallest age wins.

use super::schema::Fields;
use crate::extract::{Article, Kind, TimeSource};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use tantivy::schema::{Facet, TantivyDocument, Value};

/// How a story stands on one page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appearance {
    /// The page's key in the manifest (its absolute path).
    pub page: String,
    /// The page's path relative to the folder indexed, as shown to users.
    pub source: String,
    /// Lead article or wire item on this page.
    pub kind: Kind,
    /// The title on this page.
    pub title: String,
    /// Whether the title is a headline rather than a first sentence.
    pub has_headline: bool,
    /// The dateline city.
    pub city: Option<String>,
    /// The dateline agencies.
    pub agencies: Vec<String>,
    /// The section on this page.
    pub section: Option<String>,
    /// The age text on this page.
    pub age: Option<String>,
    /// How far off `published` may be, in seconds: the age's uncertainty (0 for a lead
    /// article, which is as old as its page).
    pub age_seconds: Option<i64>,
    /// Page time minus age, in unix seconds.
    pub published: Option<i64>,
    /// Where `published` came from.
    pub time_source: TimeSource,
    /// The page's URL.
    pub url: Option<String>,
    /// The site that published the page.
    pub outlet: Option<String>,
}

impl Appearance {
    /// How `article` stands on the page with key `page` and display path `source`.
    pub fn new(article: &Article, page: &str, source: &str) -> Appearance {
        Appearance {
            page: page.to_string(),
            source: source.to_string(),
            kind: article.kind,
            title: article.title.clone(),
            has_headline: article.has_headline,
            city: article.city.clone(),
            agencies: article.agencies.clone(),
            section: article.section.clone(),
            age: article.age.as_ref().map(|a| a.text.clone()),
            age_seconds: match &article.age {
                None => Some(0),
                Some(age) => age.uncertainty(),
            },
            published: article.published.map(|t| t.unix_timestamp()),
            time_source: article.time_source,
            url: article.url.clone(),
            outlet: article.outlet.clone(),
        }
    }

    /// Order of preference for what a story shows: a lead article over an item, a real
    /// headline over a first sentence, then the page path, so the choice does not
    /// depend on the order pages were read in.
    fn preference(&self) -> (Kind, bool, &str) {
        (self.kind, !self.has_headline, &self.source)
    }

    /// Precision of the time estimate: a time the page states before an estimate from
    /// the file, then smaller ages first; unknown ages last.
    fn precision(&self) -> (bool, TimeSource, i64, &str) {
        (
            self.published.is_none(),
            self.time_source,
            self.age_seconds.unwrap_or(i64::MAX),
            &self.source,
        )
    }
}

/// When a story came into the index: what `follow` compares with its last showing.
/// Kept whenever the story is written again (it gains or loses a page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Indexed {
    /// The commit that first held the story. Commits are numbered from 1 in an index's
    /// life; a searcher that holds commit N holds every story numbered N or lower.
    pub generation: u64,
    /// When, in unix seconds.
    pub at: i64,
    /// The commit that first held a story with this headline and city: lower than
    /// `generation` for an updated version of an earlier story.
    pub headline_generation: u64,
}

/// One story as the index stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Story {
    /// The story id ([`crate::extract::story_id`] of the body).
    pub id: u64,
    /// The article text.
    pub body: String,
    /// ISO 639-1 language code.
    pub lang: String,
    /// Where the story appears, sorted by preference (the first is shown).
    pub appearances: Vec<Appearance>,
    /// When it came into the index; `None` until its first commit.
    pub indexed: Option<Indexed>,
}

impl Story {
    /// A story from its body and appearances; keeps one appearance per page (the most
    /// precise) and sorts them by preference.
    pub fn new(id: u64, body: String, lang: String, mut appearances: Vec<Appearance>) -> Story {
        appearances.sort_by(|a, b| a.page.cmp(&b.page).then(a.precision().cmp(&b.precision())));
        appearances.dedup_by(|later, first| later.page == first.page);
        appearances.sort_by(|a, b| a.preference().cmp(&b.preference()));
        Story {
            id,
            body,
            lang,
            appearances,
            indexed: None,
        }
    }

    /// The headline and dateline city, folded, hashed: the same for a story whose body
    /// was changed under the same headline. 0 for a story with no appearance.
    pub fn headline_key(&self) -> u64 {
        let Some(shown) = self.shown() else {
            return 0;
        };
        let key = format!(
            "{}\u{1f}{}",
            crate::analysis::fold_key(&shown.title),
            shown
                .city
                .as_deref()
                .map(crate::analysis::fold_key)
                .unwrap_or_default()
        );
        xxhash_rust::xxh3::xxh3_64(key.as_bytes())
    }

    /// The appearance whose title, kind, city and section the story shows.
    pub fn shown(&self) -> Option<&Appearance> {
        self.appearances.first()
    }

    /// The section: the shown appearance's, else the first one any page gives.
    pub fn section(&self) -> Option<&str> {
        self.appearances.iter().find_map(|a| a.section.as_deref())
    }

    /// Every agency any page's dateline names, in order of preference.
    pub fn agencies(&self) -> Vec<&str> {
        let mut agencies: Vec<&str> = Vec::new();
        for agency in self.appearances.iter().flat_map(|a| &a.agencies) {
            if !agencies.contains(&agency.as_str()) {
                agencies.push(agency);
            }
        }
        agencies
    }

    /// The appearance whose time is the most precise: stated by a page over estimated
    /// from a file, then from the smallest age.
    fn timed(&self) -> Option<&Appearance> {
        self.appearances
            .iter()
            .min_by(|a, b| a.precision().cmp(&b.precision()))
    }

    /// The most precise time any page gives.
    pub fn published(&self) -> Option<i64> {
        self.timed().and_then(|a| a.published)
    }

    /// Where that time came from.
    pub fn time_source(&self) -> TimeSource {
        self.timed().map_or(TimeSource::File, |a| a.time_source)
    }

    /// The outlet: the shown appearance's, else the first one a page names.
    pub fn outlet(&self) -> Option<&str> {
        self.appearances.iter().find_map(|a| a.outlet.as_deref())
    }

    /// Every URL the story's pages give, in order of preference, once each.
    pub fn urls(&self) -> Vec<&str> {
        let mut urls: Vec<&str> = Vec::new();
        for url in self.appearances.iter().filter_map(|a| a.url.as_deref()) {
            if !urls.contains(&url) {
                urls.push(url);
            }
        }
        urls
    }

    /// The pages the story was found on, sorted.
    pub fn sources(&self) -> Vec<&str> {
        let mut sources: Vec<&str> = self.appearances.iter().map(|a| a.source.as_str()).collect();
        sources.sort_unstable();
        sources.dedup();
        sources
    }

    /// The headlines it is searchable by: every page's, not only the one shown, so that
    /// pages that share a teaser body under different headlines are each found by their
    /// own.
    pub fn titles(&self) -> Vec<&str> {
        let mut titles: Vec<&str> = self.appearances.iter().map(|a| a.title.as_str()).collect();
        titles.sort_unstable();
        titles.dedup();
        titles
    }

    /// The dateline's city and agencies as searchable words, with their other names:
    /// `'s-Gravenhage` finds articles datelined Den Haag.
    pub fn dateline_words(&self) -> Vec<&str> {
        let mut datelines: Vec<&str> = self
            .appearances
            .iter()
            .flat_map(|a| a.city.iter().chain(&a.agencies))
            .map(String::as_str)
            .collect();
        datelines.sort_unstable();
        datelines.dedup();
        let other_names: Vec<&str> = datelines
            .iter()
            .flat_map(|name| crate::analysis::aliases::other_names(name))
            .collect();
        datelines.extend(other_names);
        datelines
    }

    /// The tantivy document for this story.
    pub fn to_document(&self, fields: &Fields) -> Result<TantivyDocument> {
        let mut doc = TantivyDocument::default();
        doc.add_u64(fields.id, self.id);
        doc.add_text(fields.body, &self.body);
        doc.add_text(fields.lang, &self.lang);
        doc.add_text(
            fields.appearances,
            serde_json::to_string(&self.appearances).context("encoding appearances")?,
        );
        doc.add_u64(fields.source_count, self.sources().len() as u64);
        for title in self.titles() {
            doc.add_text(fields.title, title);
        }
        for words in self.dateline_words() {
            doc.add_text(fields.dateline, words);
        }
        if let Some(shown) = self.shown() {
            doc.add_text(fields.kind, shown.kind.as_str());
            if let Some(city) = &shown.city {
                doc.add_facet(fields.city, Facet::from_path([city.as_str()]));
                doc.add_text(fields.city_key, city);
            }
        }
        if let Some(section) = self.section() {
            doc.add_facet(fields.section, Facet::from_path([section]));
            doc.add_text(fields.section_key, section);
        }
        for agency in self.agencies() {
            doc.add_facet(fields.agency, Facet::from_path([agency]));
            doc.add_text(fields.agency_key, agency);
        }
        if let Some(outlet) = self.outlet() {
            doc.add_facet(fields.outlet, Facet::from_path([outlet]));
            doc.add_text(
                fields.outlet_key,
                crate::analysis::aliases::outlet_key(outlet),
            );
        }
        doc.add_facet(
            fields.time_source,
            Facet::from_path([self.time_source().as_str()]),
        );
        if let Some(published) = self.published() {
            doc.add_date(
                fields.published,
                tantivy::DateTime::from_timestamp_secs(published),
            );
        }
        let indexed = self
            .indexed
            .context("a story is written with the commit that holds it")?;
        doc.add_u64(fields.generation, indexed.generation);
        doc.add_date(
            fields.first_indexed,
            tantivy::DateTime::from_timestamp_secs(indexed.at),
        );
        doc.add_u64(fields.headline, self.headline_key());
        doc.add_u64(fields.headline_generation, indexed.headline_generation);
        Ok(doc)
    }

    /// Reads a story back from its stored fields.
    pub fn from_document(doc: &TantivyDocument, fields: &Fields) -> Result<Story> {
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let id = doc
            .get_first(fields.id)
            .and_then(|v| v.as_u64())
            .context("stored story has no id")?;
        let appearances = text(fields.appearances).context("stored story has no appearances")?;
        let number = |field| doc.get_first(field).and_then(|v| v.as_u64());
        let indexed = number(fields.generation).map(|generation| Indexed {
            generation,
            at: doc
                .get_first(fields.first_indexed)
                .and_then(|v| v.as_datetime())
                .map_or(0, |t| t.into_timestamp_secs()),
            headline_generation: number(fields.headline_generation).unwrap_or(generation),
        });
        Ok(Story {
            id,
            body: text(fields.body).unwrap_or_default(),
            lang: text(fields.lang).unwrap_or_default(),
            appearances: serde_json::from_str(&appearances).context("decoding appearances")?,
            indexed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn appearance(
        source: &str,
        kind: Kind,
        age_seconds: Option<i64>,
        published: i64,
    ) -> Appearance {
        Appearance {
            page: format!("/pages/{source}"),
            source: source.to_string(),
            kind,
            title: format!("title on {source}"),
            has_headline: kind == Kind::Lead,
            city: Some("Moskou".into()),
            agencies: vec!["ANP".into()],
            section: None,
            age: None,
            age_seconds,
            published: Some(published),
            time_source: TimeSource::File,
            url: None,
            outlet: None,
        }
    }

    #[test]
    fn smallest_age_gives_the_time() {
        let story = Story::new(
            1,
            "tekst".into(),
            "nl".into(),
            vec![
                appearance("a.txt", Kind::Item, Some(5 * 3600), 1000),
                appearance("b.txt", Kind::Item, Some(600), 2000),
            ],
        );
        assert_eq!(story.published(), Some(2000));
        assert_eq!(story.sources(), vec!["a.txt", "b.txt"]);
    }

    #[test]
    fn lead_is_shown_over_item_and_pages_count_once() {
        let story = Story::new(
            1,
            "tekst".into(),
            "nl".into(),
            vec![
                appearance("b.txt", Kind::Item, Some(60), 1000),
                appearance("z.txt", Kind::Lead, Some(0), 900),
                appearance("b.txt", Kind::Item, Some(120), 1000),
            ],
        );
        assert_eq!(story.shown().map(|a| a.source.as_str()), Some("z.txt"));
        assert_eq!(story.appearances.len(), 2);
        assert_eq!(story.published(), Some(900));
    }
}

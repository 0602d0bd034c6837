//! Page → articles: decode the bytes, read the layout, parse datelines and ages, and build
//! [`Article`]s with a title, a time and a language.
//!
//! Knows nothing of the index: tests and `dateline extract` call [`articles`] directly.

mod age;
mod dateline;
mod decode;
mod html;
mod layout;

pub use age::{Age, split_leading_age};
pub use dateline::{Dateline, display_city, parse_dateline};
pub use decode::{Format, NotText};

use std::path::PathBuf;
use time::{Duration, OffsetDateTime, Time};

/// A saved page as read from disk.
#[derive(Debug, Clone)]
pub struct Page {
    /// The page's path, relative to the folder being indexed (or as given).
    pub path: PathBuf,
    /// The raw bytes, in whatever encoding the page was saved.
    pub bytes: Vec<u8>,
    /// The file's modification time: the page time unless the page states its own.
    pub modified: Option<OffsetDateTime>,
}

/// Whether an article is the page's lead article or a wire item in a list.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The page's own article.
    Lead,
    /// A short wire item, usually followed by its age.
    Item,
}

impl Kind {
    /// The name used in output and in the index: `lead` or `item`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Lead => "lead",
            Kind::Item => "item",
        }
    }
}

/// One article read from one page (DESIGN.md, "The article model").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// Lead article or wire item.
    pub kind: Kind,
    /// The headline, or an item's first sentence when it has none.
    pub title: String,
    /// Whether the title is a real headline rather than the first sentence.
    pub has_headline: bool,
    /// The text without the dateline prefix, paragraphs separated by `\n`.
    pub body: String,
    /// The dateline city in display form.
    pub city: Option<String>,
    /// The dateline's agencies in order.
    pub agencies: Vec<String>,
    /// The section, from the page's "Meer uit <Section>" list.
    pub section: Option<String>,
    /// The age the page printed after the item.
    pub age: Option<Age>,
    /// Page time minus age for items; the page time for a lead article.
    pub published: Option<OffsetDateTime>,
    /// ISO 639-1 language code.
    pub lang: String,
}

impl Article {
    /// The story id: a hash of the body with white space folded (case kept), so that the
    /// same story on several pages is one article.
    pub fn id(&self) -> u64 {
        story_id(&self.body)
    }
}

/// The story id of a body text (see [`Article::id`]).
pub fn story_id(body: &str) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for (at, word) in body.split_whitespace().enumerate() {
        if at > 0 {
            hasher.update(b" ");
        }
        hasher.update(word.as_bytes());
    }
    hasher.digest()
}

/// Why a page gives no articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageError {
    /// Not a page at all (an image, a PDF, an archive): skipped quietly.
    NotAPage(&'static str),
    /// Text that decodes to garbage.
    Garbled,
    /// A page with no text in it.
    Empty,
    /// HTML shaped to make the parser take minutes (nesting, giant tags).
    Malformed(&'static str),
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PageError::NotAPage(what) => write!(f, "not a page ({what})"),
            PageError::Garbled => f.write_str("not readable as text in any encoding"),
            PageError::Empty => f.write_str("no text in it"),
            PageError::Malformed(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for PageError {}

/// Reads the articles of a page, in page order.
pub fn articles(page: &Page) -> Result<Vec<Article>, PageError> {
    let extension = page
        .path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let (text, format) =
        decode::decode(&page.bytes, extension.as_deref()).map_err(|e| match e {
            NotText::Binary(what) => PageError::NotAPage(what),
            NotText::Garbled => PageError::Garbled,
        })?;
    let (paragraphs, headline, stated_time) = match format {
        Format::Text => (text.lines().map(str::to_string).collect(), None, None),
        Format::Html => {
            let html = html::read_html(&text).map_err(PageError::Malformed)?;
            (html.paragraphs, html.headline, html.published)
        }
    };
    let layout = layout::read_layout(&paragraphs, headline.as_deref());
    if layout.blocks.is_empty() {
        return Err(PageError::Empty);
    }
    let page_time = stated_time.or_else(|| page_time(layout.stated_date, page.modified));
    Ok(layout
        .blocks
        .into_iter()
        .map(|block| build_article(block, page_time))
        .collect())
}

/// DESIGN.md: the page time is a date the page states, else the file's modification
/// time. A date line gives only a day: when the file was saved that same (Amsterdam)
/// day, its modification time is the more precise; otherwise noon of that day, which is
/// never more than twelve hours off.
fn page_time(
    stated: Option<time::Date>,
    modified: Option<OffsetDateTime>,
) -> Option<OffsetDateTime> {
    let Some(date) = stated else {
        return modified;
    };
    if let Some(modified) = modified
        && modified
            .to_offset(crate::clock::amsterdam_offset(modified))
            .date()
            == date
    {
        return Some(modified);
    }
    Some(crate::clock::from_amsterdam(
        date,
        Time::MIDNIGHT + Duration::hours(12),
    ))
}

fn build_article(block: layout::Block, page_time: Option<OffsetDateTime>) -> Article {
    let body = block.paragraphs.join("\n");
    let has_headline = block.headline.is_some();
    let title = block.headline.unwrap_or_else(|| first_sentence(&body));
    let published = match &block.age {
        None => page_time,
        Some(age) => page_time
            .zip(age.seconds)
            .and_then(|(time, seconds)| time.checked_sub(Duration::seconds(seconds))),
    };
    let (city, agencies) = match block.dateline {
        Some(dateline) => (Some(dateline.city), dateline.agencies),
        None => (None, Vec::new()),
    };
    let lang = crate::analysis::detect_language(&title, &body);
    Article {
        kind: if block.is_item {
            Kind::Item
        } else {
            Kind::Lead
        },
        title,
        has_headline,
        body,
        city,
        agencies,
        section: block.section,
        age: block.age,
        published,
        lang,
    }
}

/// Abbreviations whose dot does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "St", "dr", "Dr", "mr", "Mr", "prof", "Prof", "ir", "ing", "drs", "mw", "dhr", "jl", "bijv",
    "o.a", "ca", "nr", "blz", "vs", "mevr", "Mevr", "Sr", "Jr", "gen", "Gen", "Lt",
];

/// The longest title we make from a first sentence; longer ones are cut at a word.
const MAX_TITLE_CHARS: usize = 300;

/// The first sentence of a text: up to `.`, `!` or `?` followed by white space.
fn first_sentence(text: &str) -> String {
    let first_paragraph = text.lines().next().unwrap_or("");
    let mut end = first_paragraph.len();
    for (at, c) in first_paragraph.char_indices() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let after = &first_paragraph[at + 1..];
        let next_starts_sentence = after.starts_with(' ')
            && after.trim_start().starts_with(|c: char| {
                c.is_uppercase() || c.is_ascii_digit() || c == '"' || c == '\''
            });
        let word_before = first_paragraph[..at]
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("");
        if next_starts_sentence && !(c == '.' && ABBREVIATIONS.contains(&word_before)) {
            end = at + c.len_utf8();
            break;
        }
    }
    shorten(&first_paragraph[..end])
}

fn shorten(sentence: &str) -> String {
    if sentence.chars().count() <= MAX_TITLE_CHARS {
        return sentence.to_string();
    }
    let cut: String = sentence.chars().take(MAX_TITLE_CHARS).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |at| &cut[..at]);
    format!("{at_word} …")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentences() {
        assert_eq!(
            first_sentence(
                "Meer dan 500.000 mensen zitten zonder stroom. Meteorologen voorspelden"
            ),
            "Meer dan 500.000 mensen zitten zonder stroom."
        );
        assert_eq!(
            first_sentence("In St. Petersburg is het koud. Echt."),
            "In St. Petersburg is het koud."
        );
        assert_eq!(first_sentence("Geen punt"), "Geen punt");
        let long = "woord ".repeat(100);
        assert!(first_sentence(&long).chars().count() <= MAX_TITLE_CHARS + 2);
    }

    #[test]
    fn story_id_folds_white_space_and_keeps_case() {
        assert_eq!(story_id("De  man\nliep"), story_id("De man liep"));
        assert_ne!(story_id("De man liep"), story_id("de man liep"));
    }

    #[test]
    fn page_time_prefers_a_precise_modification_time_on_the_stated_day() {
        use time::macros::{date, datetime};
        let saved = datetime!(2025-11-03 15:30 UTC);
        assert_eq!(
            page_time(Some(date!(2025 - 11 - 03)), Some(saved)),
            Some(saved)
        );
        assert_eq!(
            page_time(Some(date!(2025 - 11 - 01)), Some(saved)),
            Some(datetime!(2025-11-01 11:00 UTC))
        );
        assert_eq!(page_time(None, Some(saved)), Some(saved));
    }
}

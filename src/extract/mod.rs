//! Page → articles: decode the bytes, read the layout, parse datelines and ages, and build
//! [`Article`]s with a title, a time and a language.
//!
//! Knows nothing of the index: tests and `dateline extract` call [`articles`] directly.

mod age;
mod dateline;
mod decode;
mod front_matter;
mod furniture;
mod html;
mod layout;
mod mhtml;

pub use age::{Age, When, split_leading_age};
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
    /// Where `published` came from.
    pub time_source: TimeSource,
    /// ISO 639-1 language code.
    pub lang: String,
    /// Where the page lives, where it says.
    pub url: Option<String>,
    /// The site that published it: its `og:site_name`, else its URL's host.
    pub outlet: Option<String>,
}

/// Where an article's time came from (DESIGN.md's `time_source`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum TimeSource {
    /// The page states it: metadata, a time line, a date line, or a dated age.
    Page,
    /// An age against a time the page states.
    Age,
    /// The time the file was saved (its modification time, or an MHTML file's date),
    /// with or without an age: an estimate.
    File,
}

impl TimeSource {
    /// The name used in output: `page`, `age` or `file`.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeSource::Page => "page",
            TimeSource::Age => "age",
            TimeSource::File => "file",
        }
    }
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

/// What a page says about itself, for every article on it.
#[derive(Debug, Default)]
struct PageFacts {
    url: Option<String>,
    outlet: Option<String>,
    section: Option<String>,
    time: Option<(OffsetDateTime, TimeSource)>,
}

/// Reads the articles of a page, in page order.
pub fn articles(page: &Page) -> Result<Vec<Article>, PageError> {
    let extension = page
        .path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let mut saved = page.modified;
    let mut saved_from = None;
    let mhtml = mhtml::is_mhtml(&page.bytes, extension.as_deref())
        .then(|| mhtml::read(&page.bytes))
        .flatten();
    let (bytes, extension) = match &mhtml {
        Some(part) => {
            saved = part.saved.or(saved);
            saved_from.clone_from(&part.url);
            (part.html.as_slice(), Some("html"))
        }
        None => (page.bytes.as_slice(), extension.as_deref()),
    };
    let (text, format) = decode::decode(bytes, extension).map_err(|e| match e {
        NotText::Binary(what) => PageError::NotAPage(what),
        NotText::Garbled => PageError::Garbled,
    })?;
    let mut facts = PageFacts::default();
    let (paragraphs, headline, stated_time) = match format {
        Format::Text => {
            if text.trim().is_empty() {
                return Err(PageError::Empty);
            }
            let post = front_matter::split(&text);
            // The title heads the text, as an `<h1>` heads an HTML page's.
            let mut paragraphs: Vec<String> = post.title.iter().cloned().collect();
            paragraphs.extend(if front_matter::is_html(post.text) {
                html::read_html(post.text)
                    .map_err(PageError::Malformed)?
                    .paragraphs
            } else {
                post.text.lines().map(str::to_string).collect()
            });
            let headed = usize::from(post.title.is_some());
            if paragraphs[headed..].iter().all(|p| p.trim().is_empty()) {
                return Err(PageError::Empty);
            }
            if !looks_like_news(post.title.as_deref(), &paragraphs) {
                return Err(PageError::NotAPage("text that is not a news page"));
            }
            facts.url = post.url;
            let date = post.date.as_deref();
            (
                paragraphs,
                post.title,
                date.and_then(crate::clock::parse_visible_time),
            )
        }
        Format::Html => {
            let html = html::read_html(&text).map_err(PageError::Malformed)?;
            facts.url = html.url.or(saved_from);
            // A site named by its host (`www.ad.nl`) is named as a host without a site
            // name would be: `ad.nl`.
            facts.outlet = html.site_name.map(|name| match name.strip_prefix("www.") {
                Some(host) if !host.contains(' ') => host.to_string(),
                _ => name,
            });
            facts.section = html.section;
            (html.paragraphs, html.headline, html.published)
        }
    };
    facts.outlet = facts.outlet.or_else(|| facts.url.as_deref().and_then(host));
    let layout = layout::read_layout(&paragraphs, headline.as_deref());
    if layout.blocks.is_empty() {
        return Err(PageError::Empty);
    }
    facts.time = stated_time
        .or(layout.visible_time)
        .map(|t| (t, TimeSource::Page))
        .or_else(|| {
            let date = layout.stated_date?;
            Some((day_time(date, saved), TimeSource::Page))
        })
        .or_else(|| saved.map(|t| (t, TimeSource::File)));
    Ok(layout
        .blocks
        .into_iter()
        .map(|block| build_article(block, &facts))
        .collect())
}

/// The host of a URL, without `www.`: the outlet of a page that does not name itself.
fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#', ':']).next()?.to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    (!host.is_empty()).then(|| host.to_string())
}

/// Plain text is a news page when it has a dateline, or a headline above paragraphs of
/// prose; notes, lists and code are not. Prose: lines of 8 words or more with a sentence
/// in them. A page needs 100 characters of it, at least half of its text, and no more
/// than one line in five of Markdown list, heading, table or code syntax.
fn looks_like_news(title: Option<&str>, paragraphs: &[String]) -> bool {
    let lines: Vec<&str> = paragraphs
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    // A site's post (a front-matter title) is a page whatever the length of its text:
    // feeds hold one-sentence teasers.
    if title.is_some() || lines.iter().any(|line| parse_dateline(line).is_some()) {
        return true;
    }
    let markup = lines
        .iter()
        .filter(|line| {
            line.starts_with(['#', '*', '+', '>', '|', '`', '{', '}'])
                || line.starts_with("- ")
                || line.split_once(". ").is_some_and(|(n, _)| {
                    !n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit())
                })
        })
        .count();
    let has_sentence = |line: &str| {
        line.ends_with(['.', '!', '?', '"', '”', '\'', '’'])
            || [". ", "! ", "? ", ".' ", ".\" ", ".” "]
                .iter()
                .any(|end| line.contains(end))
    };
    let prose: usize = lines
        .iter()
        .filter(|line| line.split_whitespace().count() >= 8 && has_sentence(line))
        .map(|line| line.len())
        .sum();
    let total: usize =
        lines.iter().map(|line| line.len()).sum::<usize>() + title.map_or(0, str::len);
    prose >= 100 && prose * 2 >= total && markup * 5 <= lines.len()
}

/// DESIGN.md: a date line gives only a day: when the file was saved that same
/// (Amsterdam) day, its modification time is the more precise; otherwise noon of that
/// day, which is never more than twelve hours off.
fn day_time(date: time::Date, saved: Option<OffsetDateTime>) -> OffsetDateTime {
    if let Some(saved) = saved
        && saved
            .to_offset(crate::clock::amsterdam_offset(saved))
            .date()
            == date
    {
        return saved;
    }
    crate::clock::from_amsterdam(date, Time::MIDNIGHT + Duration::hours(12))
}

fn build_article(block: layout::Block, facts: &PageFacts) -> Article {
    let body = block.paragraphs.join("\n");
    let has_headline = block.headline.is_some();
    let title = block.headline.unwrap_or_else(|| first_sentence(&body));
    let page_time = facts.time.map(|(t, _)| t);
    let (published, time_source) = match &block.age {
        None => (page_time, facts.time.map_or(TimeSource::File, |(_, s)| s)),
        Some(age) => {
            let source = match facts.time {
                _ if age.is_absolute() => TimeSource::Page,
                Some((_, TimeSource::Page)) => TimeSource::Age,
                _ => TimeSource::File,
            };
            (age.resolve(page_time), source)
        }
    };
    let (city, agencies) = match block.dateline {
        Some(dateline) => (Some(dateline.city), dateline.agencies),
        None => (None, Vec::new()),
    };
    // The lead is what the page declares itself to be; a list names its items' section.
    let section = if block.is_item {
        block.section.or_else(|| facts.section.clone())
    } else {
        facts.section.clone().or(block.section)
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
        section,
        age: block.age,
        published,
        time_source,
        lang,
        url: facts.url.clone(),
        outlet: facts.outlet.clone(),
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
        assert_eq!(day_time(date!(2025 - 11 - 03), Some(saved)), saved);
        assert_eq!(
            day_time(date!(2025 - 11 - 01), Some(saved)),
            datetime!(2025-11-01 11:00 UTC)
        );
    }

    #[test]
    fn text_is_a_page_when_it_reads_like_news() {
        let news = |text: &str| {
            let lines: Vec<String> = text.lines().map(str::to_string).collect();
            looks_like_news(None, &lines)
        };
        assert!(news("KOP\nDEN HAAG (ANP) - Het kabinet valt."));
        let column = "De fietsenstalling als spiegel van het land\nWie 's ochtends door de stalling bij het station loopt, ziet in een paar minuten hoe het land ervoor staat.\nDe fietsen staan er dicht op elkaar, sommige al maanden, met lege banden en roestige kettingen die niemand meer mist.";
        assert!(news(column));
        // A short story whose last paragraph ends with its author's name, not a full stop.
        let short = "Snelheidsduivels met kind aan boord\nDe politie heeft twee straatracers van de weg gehaald die meer dan 190 kilometer per uur reden. Jan de Vries";
        assert!(news(short));
        let notes = "# Notities\n- bellen met redactie\n- Rutte zegt dat het niet eenvoudig is\n- stuk over stikstof afmaken voor vrijdag\n\nTODO: foto's";
        assert!(!news(notes));
        let script = "function track(){var a=\"Rutte zegt dat\";return a}\nwindow.onload=track;";
        assert!(!news(script));
        assert!(!news(""));
        assert!(!news("Anton Dingeman. Pieter Geenen"));
        // A site's post with a title is a page, even when its text is one short teaser.
        assert!(looks_like_news(
            Some("Koeman blikt vooruit"),
            &["Koeman blikt vooruit op het duel.".to_string()]
        ));
    }

    #[test]
    fn a_markdown_post_reads_its_front_matter_and_html_text() {
        let page = Page {
            path: "_posts/2019-05-25-stadia.md".into(),
            bytes: b"---\nlayout: post\ntitle: \"Google komt met prijzen Stadia\"\ndate: Sat, 25 May 2019 10:44:11 GMT\ncategories: tech\n---\n\nGoogle komt in de zomer met meer informatie over Stadia.<img src=\"http://feeds.example/x\" height=\"1\" alt=\"\"/>\n".to_vec(),
            modified: None,
        };
        let articles = articles(&page).unwrap();
        assert_eq!(articles.len(), 1);
        assert_eq!(articles[0].title, "Google komt met prijzen Stadia");
        assert_eq!(
            articles[0].body,
            "Google komt in de zomer met meer informatie over Stadia."
        );
        assert_eq!(articles[0].time_source, TimeSource::Page);
        assert_eq!(
            articles[0].published,
            Some(time::macros::datetime!(2019-05-25 10:44:11 UTC))
        );
    }

    #[test]
    fn hosts_without_www() {
        assert_eq!(
            host("https://www.nos.nl/artikel/1").as_deref(),
            Some("nos.nl")
        );
        assert_eq!(
            host("http://Telegraaf.nl:80/x").as_deref(),
            Some("telegraaf.nl")
        );
        assert_eq!(host("geen url"), None);
    }
}

//! leestmeer feed items (one JSON object a line, `../shared/corpus/SOURCES.md`) to saved
//! HTML pages, one per item, shaped like the pages a crawler would have saved.
//!
//! Shared by `examples/leestmeer_pages.rs` and `tests/corpus.rs` through
//! `#[path = …] mod convert;`, so each uses only part of it.
#![allow(dead_code)]

use flate2::read::MultiGzDecoder;
use serde::Deserialize;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader};
use std::path::Path;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The fields of a feed item the pages need (the others are ignored).
#[derive(Debug, Clone, Deserialize)]
pub struct Item {
    /// The git blob sha1: the page's file name.
    pub id: String,
    #[serde(default)]
    pub title: Option<String>,
    /// ISO 8601 (`2019-07-31T10:15:00+00:00`).
    #[serde(default)]
    pub date_utc: Option<String>,
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub source_domain: Option<String>,
    /// The item's HTML fragment, put into the page as it is.
    #[serde(default)]
    pub body_html: Option<String>,
}

/// Which items to convert.
#[derive(Debug, Clone, Copy)]
pub struct Selection {
    /// Take every `every`-th item (the 1st, the `every + 1`-th, …).
    pub every: usize,
    /// Stop after this many pages.
    pub limit: Option<usize>,
}

impl Default for Selection {
    fn default() -> Selection {
        Selection {
            every: 1,
            limit: None,
        }
    }
}

/// A page written.
#[derive(Debug, Clone)]
pub struct Written {
    /// The path relative to the output folder, with `/` separators (as the index shows it).
    pub relative: String,
    /// The item's title, as in the page's `<h1>`.
    pub title: String,
}

/// The folder for items without a category.
const NO_CATEGORY: &str = "overig";

/// Site chrome around the article: none of it is article text.
const HEADER: &str = r#"<header><a href="/">Nieuws.link</a><p>Webmail</p><form action="/zoeken"><input name="q" placeholder="Zoeken"><button>Zoek</button></form></header>
<nav><ul><li><a href="/binnenland">Binnenland</a></li><li><a href="/buitenland">Buitenland</a></li><li><a href="/sport">Sport</a></li><li><a href="/tech">Tech</a></li><li><a href="/entertainment">Entertainment</a></li></ul></nav>
"#;
const FOOTER: &str = r#"<footer><p>Nieuws.link verzamelt nieuws uit RSS-feeds.</p><ul><li><a href="/privacy">Privacy</a></li><li><a href="/cookies">Cookies</a></li><li><a href="/contact">Contact</a></li></ul></footer>
"#;

/// Reads `input` (`.jsonl`, or gzip-compressed, found by its magic bytes) and writes the
/// selected items as pages under `out`, returning the pages in input order.
pub fn convert(input: &Path, out: &Path, selection: Selection) -> io::Result<Vec<Written>> {
    let every = selection.every.max(1);
    let mut reader = open(input)?;
    let mut written = Vec::new();
    let mut folders = HashSet::new();
    let mut line = String::new();
    let mut number = 0usize;
    loop {
        if selection.limit.is_some_and(|limit| written.len() >= limit) {
            break;
        }
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        number += 1;
        if !(number - 1).is_multiple_of(every) || line.trim().is_empty() {
            continue;
        }
        let item: Item = serde_json::from_str(&line).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}:{number}: {e}", input.display()),
            )
        })?;
        let relative = relative_path(&item);
        let path = out.join(&relative);
        let folder = path.parent().expect("a page path has a folder");
        if folders.insert(folder.to_path_buf()) {
            fs::create_dir_all(folder).map_err(|e| with_path(e, folder))?;
        }
        fs::write(&path, page(&item)).map_err(|e| with_path(e, &path))?;
        written.push(Written {
            relative,
            title: item.title.unwrap_or_default(),
        });
    }
    Ok(written)
}

pub fn open(input: &Path) -> io::Result<Box<dyn BufRead>> {
    let file = File::open(input).map_err(|e| with_path(e, input))?;
    let mut file = BufReader::with_capacity(1 << 16, file);
    let gzipped = file.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    Ok(if gzipped {
        Box::new(BufReader::with_capacity(1 << 16, MultiGzDecoder::new(file)))
    } else {
        Box::new(file)
    })
}

fn with_path(error: io::Error, path: &Path) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {error}", path.display()))
}

/// `<first category>/<id>.html`, with both made safe as file names.
pub fn relative_path(item: &Item) -> String {
    let category = item
        .categories
        .first()
        .map(|c| file_name(c))
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| NO_CATEGORY.to_string());
    format!("{category}/{}.html", file_name(&item.id))
}

fn file_name(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// A category as a section name: `den_haag` → `Den Haag`, `noord-brabant` →
/// `Noord-Brabant`.
pub fn section_name(category: &str) -> String {
    let mut name = String::with_capacity(category.len());
    let mut word_start = true;
    for c in category.trim().chars() {
        let c = if c == '_' { ' ' } else { c };
        if word_start {
            name.extend(c.to_uppercase());
        } else {
            name.push(c);
        }
        word_start = c == ' ' || c == '-';
    }
    name
}

/// The whole page of one item.
pub fn page(item: &Item) -> String {
    let title = item.title.as_deref().unwrap_or("").trim();
    let body = item.body_html.as_deref().unwrap_or("");
    let mut page = String::with_capacity(body.len() + title.len() * 2 + 1024);
    page.push_str("<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n");
    let head_title = match item.source_domain.as_deref() {
        Some(domain) if !title.is_empty() => format!("{title} | {domain}"),
        Some(domain) => domain.to_string(),
        None => title.to_string(),
    };
    let _ = writeln!(page, "<title>{}</title>", escape(&head_title));
    if let Some(time) = item.date_utc.as_deref().and_then(rfc3339) {
        let _ = writeln!(
            page,
            "<meta property=\"article:published_time\" content=\"{}\">",
            escape(&time)
        );
    }
    page.push_str("</head>\n<body>\n");
    page.push_str(HEADER);
    page.push_str("<main>\n<article>\n");
    if !title.is_empty() {
        let _ = writeln!(page, "<h1>{}</h1>", escape(title));
    }
    page.push_str(body);
    page.push_str("\n</article>\n");
    if let Some(category) = item.categories.first().filter(|c| !c.trim().is_empty()) {
        // The extractor takes the section from a "Meer uit <Section>" list, and reads
        // everything after that line as wire items: nothing but chrome may follow it.
        let _ = writeln!(
            page,
            "<section class=\"more\">\n<p>Meer uit {}</p>\n</section>",
            escape(&section_name(category))
        );
    }
    page.push_str("</main>\n");
    page.push_str(FOOTER);
    page.push_str("</body>\n</html>\n");
    page
}

/// An ISO 8601 time as RFC 3339 UTC, or `None` when it does not parse.
fn rfc3339(text: &str) -> Option<String> {
    let time = OffsetDateTime::parse(text.trim(), &Rfc3339).ok()?;
    time.to_offset(time::UtcOffset::UTC).format(&Rfc3339).ok()
}

/// Text for an HTML element or a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

//! leestmeer feed items (one JSON object a line, `../shared/corpus/SOURCES.md`) to saved
//! HTML pages, one per item, shaped like the pages a crawler would have saved.
//!
//! Shared by `examples/leestmeer_pages.rs` and `tests/corpus.rs` through
//! `#[path = …] mod convert;`, so each uses only part of it.
//!
//! A page is an aggregator's saved article page: site chrome around an `<article>` with
//! the headline, a meta line (`<time>` with the feed's raw date string, then the source
//! site), the item's HTML and a link to the source. The `<head>` carries the canonical
//! URL, `og:url`, `og:site_name` and `article:published_time`. Counting the pages
//! written from 1, every 10th is windows-1252 (characters it cannot hold as numeric
//! character references) and every 7th other one starts with a UTF-8 byte-order mark:
//! the shape of the pages of the hidden known-item test.
#![allow(dead_code)]

use encoding_rs::WINDOWS_1252;
use flate2::read::MultiGzDecoder;
use serde::{Deserialize, Serialize};
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
    /// The raw RFC 2822 date string of the feed (`Wed, 15 May 2019 06:08:13 GMT`).
    #[serde(default)]
    pub date: Option<String>,
    /// ISO 8601 (`2019-07-31T10:15:00+00:00`).
    #[serde(default)]
    pub date_utc: Option<String>,
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub source_domain: Option<String>,
    /// The item's address on its source site.
    #[serde(default)]
    pub url: Option<String>,
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
#[derive(Debug, Clone, Serialize)]
pub struct Written {
    /// The path relative to the output folder, with `/` separators (the index shows it
    /// after the output folder's own name: `<folder>/<relative>`).
    pub relative: String,
    /// The item's title, as in the page's `<h1>`.
    pub title: String,
    /// The item's id (the git blob sha1).
    pub id: String,
    /// The item's source site (`nos.nl`, `www.telegraaf.nl`, …), empty when it has none.
    pub source_domain: String,
    /// The item's address on its source site, empty when it has none.
    pub url: String,
    /// The length in characters of the item's body as plain text: see [`plain_text`].
    pub body_chars: usize,
    /// How the page is encoded: `utf-8`, `utf-8 bom` or `windows-1252`.
    pub encoding: &'static str,
}

/// How the `number`-th page written (counting from 1) is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Windows1252,
}

impl Encoding {
    /// Every 10th page windows-1252, every 7th other one UTF-8 with a byte-order mark.
    pub fn of_page(number: usize) -> Encoding {
        if number.is_multiple_of(10) {
            Encoding::Windows1252
        } else if number.is_multiple_of(7) {
            Encoding::Utf8Bom
        } else {
            Encoding::Utf8
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8 bom",
            Encoding::Windows1252 => "windows-1252",
        }
    }

    /// The label of the page's `<meta charset>`.
    fn charset(self) -> &'static str {
        match self {
            Encoding::Windows1252 => "windows-1252",
            Encoding::Utf8 | Encoding::Utf8Bom => "utf-8",
        }
    }

    /// The page's bytes.
    fn encode(self, page: &str) -> Vec<u8> {
        match self {
            Encoding::Utf8 => page.as_bytes().to_vec(),
            Encoding::Utf8Bom => {
                let mut bytes = Vec::with_capacity(page.len() + 3);
                bytes.extend_from_slice(b"\xEF\xBB\xBF");
                bytes.extend_from_slice(page.as_bytes());
                bytes
            }
            // encoding_rs writes what windows-1252 cannot hold as `&#NNNN;`.
            Encoding::Windows1252 => WINDOWS_1252.encode(page).0.into_owned(),
        }
    }
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
    convert_from(input, out, 0, selection)
}

/// [`convert`] from the item after the first `skip` lines of `input`: the selection
/// (every `every`-th, at most `limit`) and the pages' encodings count from there.
pub fn convert_from(
    input: &Path,
    out: &Path,
    skip: usize,
    selection: Selection,
) -> io::Result<Vec<Written>> {
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
        if number <= skip || !(number - skip - 1).is_multiple_of(every) || line.trim().is_empty() {
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
        let encoding = Encoding::of_page(written.len() + 1);
        fs::write(&path, encoding.encode(&page_in(&item, encoding)))
            .map_err(|e| with_path(e, &path))?;
        written.push(Written {
            relative,
            body_chars: plain_text(item.body_html.as_deref().unwrap_or(""))
                .chars()
                .count(),
            title: item.title.unwrap_or_default(),
            id: item.id,
            source_domain: item.source_domain.unwrap_or_default(),
            url: item.url.unwrap_or_default(),
            encoding: encoding.name(),
        });
    }
    Ok(written)
}

/// The number of lines (items, one a line) in `input`: what `skip` counts.
pub fn count_items(input: &Path) -> io::Result<usize> {
    let mut reader = open(input)?;
    let mut line = String::new();
    let mut count = 0;
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(count);
        }
        count += 1;
    }
}

/// An HTML fragment as plain text: tags removed (each a space; the contents of
/// `<script>` and `<style>` too), the common character references decoded, white space
/// folded to single spaces and trimmed.
pub fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        let tag = &rest[open..];
        let Some(close) = tag.find('>') else {
            rest = "";
            break;
        };
        let name: String = tag[1..close]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        rest = &tag[close + 1..];
        if name == "script" || name == "style" {
            let end = format!("</{name}");
            rest = match rest.to_ascii_lowercase().find(&end) {
                Some(at) => rest[at..].find('>').map_or("", |gt| &rest[at + gt + 1..]),
                None => "",
            };
        }
    }
    text.push_str(rest);
    unescape(&text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;` and numeric references decoded;
/// other references are left as they are.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map_or(rest.len(), |end| end + 1);
        let name = &rest[1..end];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => name.strip_prefix('#').and_then(|number| {
                let code = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => number.parse().ok(),
                };
                code.and_then(char::from_u32)
            }),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end..];
                if rest.starts_with(';') {
                    rest = &rest[1..];
                }
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
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

/// The whole page of one item, as UTF-8.
pub fn page(item: &Item) -> String {
    page_in(item, Encoding::Utf8)
}

/// The whole page of one item, its `<meta charset>` that of `encoding` (the text is
/// still a Rust string: [`Encoding::encode`] makes the bytes).
fn page_in(item: &Item, encoding: Encoding) -> String {
    let title = item.title.as_deref().unwrap_or("").trim();
    let body = item.body_html.as_deref().unwrap_or("");
    let url = item.url.as_deref().map(str::trim).filter(|u| !u.is_empty());
    let domain = item
        .source_domain
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    let mut page = String::with_capacity(body.len() + title.len() * 2 + 2048);
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"{}\">\n",
        encoding.charset()
    );
    let head_title = match domain {
        Some(domain) if !title.is_empty() => format!("{title} | {domain}"),
        Some(domain) => domain.to_string(),
        None => title.to_string(),
    };
    let _ = writeln!(page, "<title>{}</title>", escape(&head_title));
    let time = item.date_utc.as_deref().and_then(rfc3339);
    if let Some(time) = &time {
        let _ = writeln!(
            page,
            "<meta property=\"article:published_time\" content=\"{}\">",
            escape(time)
        );
    }
    if let Some(url) = url {
        let _ = writeln!(page, "<link rel=\"canonical\" href=\"{}\">", escape(url));
        let _ = writeln!(
            page,
            "<meta property=\"og:url\" content=\"{}\">",
            escape(url)
        );
    }
    if let Some(domain) = domain {
        let _ = writeln!(
            page,
            "<meta property=\"og:site_name\" content=\"{}\">",
            escape(domain)
        );
    }
    page.push_str("</head>\n<body>\n");
    page.push_str(HEADER);
    page.push_str("<main>\n<article>\n");
    if !title.is_empty() {
        let _ = writeln!(page, "<h1>{}</h1>", escape(title));
    }
    // The meta line under the headline: the feed's raw date string in a `<time>`, then
    // the source site.
    if let Some(date) = item
        .date
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        page.push_str("<p class=\"meta\">");
        match &time {
            Some(time) => {
                let _ = write!(page, "<time datetime=\"{}\">", escape(time));
            }
            None => page.push_str("<time>"),
        }
        page.push_str(&escape(date));
        page.push_str("</time>");
        match (url, domain) {
            (Some(url), Some(domain)) => {
                let _ = write!(
                    page,
                    " • <a href=\"{}\">{}</a>",
                    escape(url),
                    escape(domain)
                );
            }
            (None, Some(domain)) => {
                let _ = write!(page, " • {}", escape(domain));
            }
            _ => {}
        }
        page.push_str("</p>\n");
    }
    page.push_str(body);
    if let Some(url) = url {
        let _ = write!(
            page,
            "\n<p class=\"source\"><a href=\"{}\">lees hele bericht</a></p>",
            escape(url)
        );
    }
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

//! Saved HTML pages to paragraphs, with the chrome left out (DESIGN.md, "HTML pages").
//!
//! The paragraphs then go through the same layout rules as text pages, so a page of
//! `<li>` wire items with ages in their own elements reads like the text export.

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node, Selector};
use time::OffsetDateTime;
use time::format_description::well_known::{Iso8601, Rfc3339};

/// What an HTML page gives the extractor.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct HtmlPage {
    /// The text of block elements, one paragraph each, starting at the headline.
    pub paragraphs: Vec<String>,
    /// The headline: the article's `<h1>` (else the page's, else `<title>`).
    pub headline: Option<String>,
    /// The publication time from the page's metadata.
    pub published: Option<OffsetDateTime>,
    /// Where the page lives: its canonical link, `og:url`, or the URL a browser noted
    /// when it saved the page (`<!-- saved from url=(…)… -->`).
    pub url: Option<String>,
    /// The site's name (`og:site_name`).
    pub site_name: Option<String>,
    /// The section the page declares (`article:section`, JSON-LD `articleSection`).
    pub section: Option<String>,
}

/// Elements whose whole subtree is chrome or not text.
const SKIPPED: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "select",
    "textarea",
    "head",
    "dialog",
    "canvas",
    "video",
    "audio",
    "object",
    "embed",
    "map",
    "figcaption",
];

/// Elements that end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
    "main",
    "tr",
    "td",
    "th",
    "dd",
    "dt",
    "dl",
    "figcaption",
    "figure",
    "pre",
    "br",
    "hr",
    "table",
    "address",
    "body",
    "time",
];

/// Class or id words of cookie banners and similar overlays.
const CHROME_MARKERS: &[&str] = &["cookie", "consent", "newsletter", "paywall", "banner"];

/// Class or id words of the furniture around an article: bylines, share buttons, reading
/// times, photo credits, "Lees ook" blocks. (Not where a "Meer uit" list stands in one:
/// its wire items are articles.)
const FURNITURE_MARKERS: &[&str] = &[
    "byline",
    "author",
    "share",
    "social",
    "reading-time",
    "readingtime",
    "leestijd",
    "credit",
    "related",
    "lees-ook",
    "leesook",
    "read-more",
    "readmore",
];

/// Nesting deeper than this is no real page; html5ever's tree builder walks its stack of
/// open elements for many tags, so a hostile page 100,000 levels deep would take
/// minutes. Real news pages nest a few dozen levels.
const MAX_DEPTH: usize = 1_000;

/// A tag longer than this is no real page (html5ever checks each attribute against the
/// ones before it: a million attributes would take hours).
const MAX_TAG_BYTES: usize = 64 * 1024;

/// Elements that close themselves or are closed implicitly, so they add no depth.
const NO_DEPTH: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "p", "li", "dt", "dd", "tr", "td", "th", "option", "!doctype",
];

/// Reads the paragraphs and the publication time of an HTML page; refuses pages shaped
/// to make the parser take minutes.
pub fn read_html(source: &str) -> Result<HtmlPage, &'static str> {
    check_shape(source)?;
    let document = Html::parse_document(source);
    let mut paragraphs = block_texts(&document);
    let h1 = first_text(&document, "article h1, main h1").or_else(|| first_text(&document, "h1"));
    let headline = h1.clone().or_else(|| first_text(&document, "title"));
    match h1 {
        // Everything above the headline is chrome.
        Some(h1) => {
            if let Some(at) = paragraphs.iter().position(|p| *p == h1) {
                paragraphs.drain(..at);
            }
        }
        None => {
            if let Some(title) = first_text(&document, "title") {
                paragraphs.insert(0, title);
            }
        }
    }
    Ok(HtmlPage {
        paragraphs,
        headline,
        published: published_time(&document),
        url: page_url(&document, source),
        site_name: attr_of(&document, "meta[property='og:site_name']", "content")
            .map(|name| name.trim().to_string())
            .filter(|name| !name.is_empty()),
        section: declared_section(&document),
    })
}

/// The page's URL: its canonical link, `og:url`, or the URL a browser wrote in a comment
/// when it saved the page.
fn page_url(document: &Html, source: &str) -> Option<String> {
    attr_of(document, "link[rel='canonical']", "href")
        .or_else(|| attr_of(document, "meta[property='og:url']", "content"))
        .or_else(|| saved_from(source))
        .map(|url| url.trim().to_string())
        .filter(|url| url.starts_with("http://") || url.starts_with("https://"))
}

/// `<!-- saved from url=(0042)https://www.nu.nl/… -->`, as browsers write it at the top
/// of a page they save. The number is the URL's length; without it the URL ends at a
/// space or the comment's end (URLs hold dashes).
fn saved_from(source: &str) -> Option<String> {
    let mut head_end = source.len().min(2_048);
    while !source.is_char_boundary(head_end) {
        head_end -= 1;
    }
    let head = &source[..head_end];
    let at = head.find("saved from url=(")?;
    let rest = &head[at + "saved from url=(".len()..];
    let close = rest.find(')')?;
    let stated_length = rest[..close].parse::<usize>().ok();
    let rest = &rest[close + 1..];
    let end = rest
        .find(|c: char| c.is_whitespace())
        .unwrap_or(rest.len())
        .min(rest.find("-->").unwrap_or(rest.len()));
    let end = stated_length
        .filter(|&n| rest.is_char_boundary(n) && n <= end)
        .unwrap_or(end);
    Some(rest[..end].to_string())
}

/// `article:section`, else JSON-LD `articleSection` (a string or the first of a list).
fn declared_section(document: &Html) -> Option<String> {
    let meta = attr_of(document, "meta[property='article:section']", "content");
    let section = meta.or_else(|| {
        json_ld_values(document).find_map(|json| {
            find_key(&json, "articleSection").and_then(|value| match value {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Array(list) => list.first()?.as_str().map(str::to_string),
                _ => None,
            })
        })
    })?;
    let section = section.trim();
    (!section.is_empty() && section.chars().count() <= 40).then(|| section.to_string())
}

/// One pass over the tags: estimates the nesting depth and finds the longest tag.
fn check_shape(source: &str) -> Result<(), &'static str> {
    let bytes = source.as_bytes();
    let mut depth: usize = 0;
    let mut at = 0;
    while let Some(open) = memchr(b'<', &bytes[at..]) {
        let start = at + open + 1;
        let Some(close) = memchr(b'>', &bytes[start..]) else {
            return Ok(());
        };
        if close > MAX_TAG_BYTES {
            return Err("an HTML tag is over 64 KB long; not a real page");
        }
        let tag = &source[start..start + close];
        at = start + close + 1;
        if let Some(name) = tag.strip_prefix('/') {
            if !NO_DEPTH.contains(&tag_name(name).as_str()) {
                depth = depth.saturating_sub(1);
            }
        } else if tag.starts_with(|c: char| c.is_ascii_alphabetic())
            && !tag.ends_with('/')
            && !NO_DEPTH.contains(&tag_name(tag).as_str())
        {
            depth += 1;
            if depth > MAX_DEPTH {
                return Err("HTML nested over 1,000 levels deep; not a real page");
            }
        }
    }
    Ok(())
}

fn tag_name(tag: &str) -> String {
    tag.split(|c: char| c.is_whitespace() || c == '/')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|b| *b == needle)
}

/// Walks the body iteratively (pages may nest 100,000 levels deep) and collects the text
/// of each block element as one paragraph.
fn block_texts(document: &Html) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    let mut skipping: Option<ego_tree::NodeId> = None;
    // A <header> inside <article> holds the article's own headline, not site chrome.
    let mut articles_open = 0usize;
    for edge in document.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Element(element) => {
                        let name = element.name();
                        let article_header = name == "header" && articles_open > 0;
                        if name == "article" {
                            articles_open += 1;
                        }
                        if (SKIPPED.contains(&name) && !article_header)
                            || is_chrome_element(node, element)
                        {
                            skipping = Some(node.id());
                        } else if BLOCKS.contains(&name) {
                            end_paragraph(&mut current, &mut paragraphs);
                        }
                    }
                    Node::Text(text) => push_text(&mut current, text),
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skipping.is_none()
                    && let Node::Element(element) = node.value()
                    && element.name() == "article"
                {
                    articles_open = articles_open.saturating_sub(1);
                }
                if skipping == Some(node.id()) {
                    skipping = None;
                } else if skipping.is_none()
                    && let Node::Element(element) = node.value()
                    && BLOCKS.contains(&element.name())
                {
                    end_paragraph(&mut current, &mut paragraphs);
                }
            }
        }
    }
    end_paragraph(&mut current, &mut paragraphs);
    paragraphs
}

fn is_chrome_element(node: ego_tree::NodeRef<'_, Node>, element: &scraper::node::Element) -> bool {
    let marked = |markers: &[&str]| {
        [element.id(), element.attr("class")]
            .into_iter()
            .flatten()
            .any(|value| {
                let value = value.to_ascii_lowercase();
                markers.iter().any(|marker| value.contains(marker))
            })
    };
    let chrome = element
        .attr("role")
        .is_some_and(|role| role == "navigation" || role == "banner")
        || element.attr("aria-hidden") == Some("true")
        || element.attr("hidden").is_some()
        || marked(CHROME_MARKERS);
    let furniture = marked(FURNITURE_MARKERS);
    chrome
        || furniture
            && !ElementRef::wrap(node).is_some_and(|e| e.text().any(|t| t.contains("Meer uit ")))
}

/// Appends text with white space folded to single spaces.
fn push_text(current: &mut String, text: &str) {
    for (at, word) in text.split_whitespace().enumerate() {
        let starts_with_space = at > 0 || text.starts_with(char::is_whitespace);
        if starts_with_space && !current.is_empty() && !current.ends_with(' ') {
            current.push(' ');
        }
        current.push_str(word);
    }
    if text.ends_with(char::is_whitespace) && !current.is_empty() && !current.ends_with(' ') {
        current.push(' ');
    }
}

fn end_paragraph(current: &mut String, paragraphs: &mut Vec<String>) {
    let text = current.trim();
    if !text.is_empty() {
        paragraphs.push(text.to_string());
    }
    current.clear();
}

fn first_text(document: &Html, selector: &str) -> Option<String> {
    let selector = Selector::parse(selector).ok()?;
    let element = document.select(&selector).next()?;
    let mut text = String::new();
    for piece in element.text() {
        push_text(&mut text, piece);
    }
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// The publication time from `article:published_time`, `<time datetime>` or JSON-LD
/// `datePublished`, in that order.
fn published_time(document: &Html) -> Option<OffsetDateTime> {
    let meta = attr_of(
        document,
        "meta[property='article:published_time'], meta[name='article:published_time'], meta[itemprop='datePublished']",
        "content",
    );
    let time = attr_of(document, "time[datetime]", "datetime");
    meta.and_then(|t| parse_time(&t))
        .or_else(|| time.and_then(|t| parse_time(&t)))
        .or_else(|| json_ld_published(document))
}

fn attr_of(document: &Html, selector: &str, attr: &str) -> Option<String> {
    let selector = Selector::parse(selector).ok()?;
    document
        .select(&selector)
        .find_map(|e: ElementRef<'_>| e.attr(attr).map(str::to_string))
}

fn json_ld_published(document: &Html) -> Option<OffsetDateTime> {
    json_ld_values(document).find_map(|json| {
        find_key(&json, "datePublished")
            .and_then(|v| v.as_str())
            .and_then(parse_time)
    })
}

/// The page's JSON-LD blocks that parse.
fn json_ld_values(document: &Html) -> impl Iterator<Item = serde_json::Value> + '_ {
    let selector = Selector::parse("script[type='application/ld+json']").ok();
    selector
        .into_iter()
        .flat_map(move |selector| document.select(&selector).collect::<Vec<_>>())
        .filter_map(|script| serde_json::from_str(&script.text().collect::<String>()).ok())
}

/// Finds a key anywhere in a JSON-LD value (it may sit in an `@graph` list).
fn find_key<'a>(value: &'a serde_json::Value, key: &str) -> Option<&'a serde_json::Value> {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(found) = map.get(key) {
                    return Some(found);
                }
                stack.extend(map.values());
            }
            serde_json::Value::Array(list) => stack.extend(list),
            _ => {}
        }
    }
    None
}

/// Reads the time formats pages use: RFC 3339, ISO 8601 (`+0200`), and a bare day.
fn parse_time(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    OffsetDateTime::parse(text, &Rfc3339)
        .or_else(|_| OffsetDateTime::parse(text, &Iso8601::DEFAULT))
        .ok()
        .or_else(|| {
            let day = crate::clock::parse_day(text.get(..10)?)?;
            (text.len() == 10).then(|| day.midnight().assume_utc())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn chrome_is_dropped_and_blocks_become_paragraphs() {
        let page = r#"<html><head><title>Site</title><style>p{}</style></head><body>
            <header><a>Webmail</a></header><nav><ul><li>Home</li></ul></nav>
            <div class="cookie-banner">Wij gebruiken cookies</div>
            <article><h1>Kop van het <em>stuk</em></h1>
            <p>DEN HAAG (ANP) - Eerste   alinea<br>met regel.</p><p>Tweede alinea.</p></article>
            <aside>Lees ook</aside><footer>Colofon</footer><script>var x;</script>
            </body></html>"#;
        let html = read_html(page).unwrap();
        assert_eq!(
            html.paragraphs,
            vec![
                "Kop van het stuk",
                "DEN HAAG (ANP) - Eerste alinea",
                "met regel.",
                "Tweede alinea."
            ]
        );
    }

    #[test]
    fn title_stands_in_for_a_missing_h1() {
        let html =
            read_html("<html><head><title>De kop</title></head><body><p>Tekst.</p></body></html>")
                .unwrap();
        assert_eq!(html.paragraphs, vec!["De kop", "Tekst."]);
    }

    #[test]
    fn publication_time_from_each_metadata_form() {
        let meta = r#"<meta property="article:published_time" content="2019-07-31T10:15:00+02:00"><p>x</p>"#;
        assert_eq!(
            read_html(meta).unwrap().published,
            Some(datetime!(2019-07-31 08:15 UTC))
        );
        let time = r#"<p>x <time datetime="2019-07-31T10:15:00Z">vandaag</time></p>"#;
        assert_eq!(
            read_html(time).unwrap().published,
            Some(datetime!(2019-07-31 10:15 UTC))
        );
        let json_ld = r#"<script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","datePublished":"2019-07-31T10:15:00+0200"}]}</script><p>x</p>"#;
        assert_eq!(
            read_html(json_ld).unwrap().published,
            Some(datetime!(2019-07-31 08:15 UTC))
        );
        assert_eq!(read_html("<p>x</p>").unwrap().published, None);
    }

    #[test]
    fn deep_but_plausible_nesting_is_read() {
        let depth = 500;
        let page = format!("{}tekst{}", "<div>".repeat(depth), "</div>".repeat(depth));
        assert_eq!(read_html(&page).unwrap().paragraphs, vec!["tekst"]);
        let unclosed_paragraphs = "<p>een".repeat(5_000);
        assert_eq!(
            read_html(&unclosed_paragraphs).unwrap().paragraphs.len(),
            5_000
        );
    }

    #[test]
    fn hostile_shapes_are_refused_quickly() {
        let depth = 100_000;
        let deep = format!("{}tekst{}", "<div>".repeat(depth), "</div>".repeat(depth));
        assert!(read_html(&deep).is_err());
        let attributes: String = (0..1_000_000).map(|i| format!(" a{i}=\"x\"")).collect();
        assert!(read_html(&format!("<p{attributes}>tekst</p>")).is_err());
    }
}

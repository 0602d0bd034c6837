//! Output for people at a terminal: one block per hit, then the facet counts.
//!
//! Colour only when asked (the caller decides: a terminal and no `NO_COLOR`).

use crate::extract::{Article, TimeSource};
use crate::index::Stats;
use crate::search::{Hit, Hits, Snippet};
use std::io::{self, Write};
use std::path::Path;

const BOLD: &str = "\x1b[1m";
const MATCH: &str = "\x1b[1;31m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// How many facet values the footer lists.
const FOOTER_FACETS: usize = 10;

/// Writes search hits.
pub fn write(out: &mut impl Write, hits: &Hits, color: bool) -> io::Result<()> {
    let paint = Paint(color);
    // What the hits answer: the corrected query where there is one.
    let answered = hits.corrected.as_deref().unwrap_or(&hits.query);
    if hits.corrected.is_some() {
        writeln!(
            out,
            "no results for {}; showing results for {}",
            quoted(&hits.query),
            quoted(answered)
        )?;
    }
    if !hits.suggestions.is_empty() {
        let offered: Vec<String> = hits
            .suggestions
            .iter()
            .map(|(query, total)| format!("{} ({})", quoted(query), articles(*total)))
            .collect();
        writeln!(out, "did you mean {}?", offered.join(" or "))?;
    }
    if hits.any_word {
        writeln!(
            out,
            "no article has all the words of {}; showing articles with any of them",
            quoted(answered)
        )?;
    }
    if hits.corrected.is_some() || !hits.suggestions.is_empty() || hits.any_word {
        writeln!(out)?;
    }
    for (n, hit) in hits.hits.iter().enumerate() {
        write_hit(out, hit, n + 1, paint)?;
    }
    if hits.total == 0 {
        return writeln!(out, "no articles match {}", quoted(answered));
    }
    let shown = hits.hits.len();
    let verb = if hits.total == 1 { "matches" } else { "match" };
    let which = if hits.any_word { "any word of " } else { "" };
    write!(
        out,
        "{} {verb} {which}{}",
        articles(hits.total),
        quoted(answered)
    )?;
    if shown < hits.total {
        write!(out, " (showing {shown})")?;
    }
    writeln!(out)?;
    write_counts(out, "agencies", &hits.agencies)?;
    write_counts(out, "cities", &hits.cities)?;
    write_counts(out, "sections", &hits.sections)?;
    write_counts(out, "outlets", &hits.outlets)
}

fn write_hit(out: &mut impl Write, hit: &Hit, n: usize, paint: Paint) -> io::Result<()> {
    writeln!(out, "{n}. {}", paint.wrap(BOLD, &hit.title))?;
    let mut dateline = Vec::new();
    if let Some(city) = &hit.city {
        dateline.push(city.clone());
    }
    if !hit.agencies.is_empty() {
        dateline.push(hit.agencies.join("/"));
    }
    if let Some(published) = hit.published {
        // An estimate from the file's time is marked as one.
        let estimate = if hit.time_source == TimeSource::File {
            "≈"
        } else {
            ""
        };
        dateline.push(format!("{estimate}{}", display_time(published)));
    }
    if let Some(section) = &hit.section {
        dateline.push(section.clone());
    }
    dateline.push(hit.kind.as_str().to_string());
    writeln!(out, "   {}", paint.wrap(DIM, &dateline.join(" · ")))?;
    let origin: Vec<&str> = hit
        .outlet
        .iter()
        .chain(&hit.url)
        .map(String::as_str)
        .collect();
    if !origin.is_empty() {
        writeln!(out, "   {}", origin.join(" · "))?;
    }
    writeln!(out, "   {}", hit.sources.join(", "))?;
    writeln!(out, "   {}", paint.snippet(&hit.snippet))?;
    writeln!(out)
}

fn write_counts(out: &mut impl Write, label: &str, counts: &[(String, u64)]) -> io::Result<()> {
    if counts.is_empty() {
        return Ok(());
    }
    let listed: Vec<String> = counts
        .iter()
        .take(FOOTER_FACETS)
        .map(|(value, count)| format!("{value} {count}"))
        .collect();
    let more = if counts.len() > FOOTER_FACETS {
        ", …"
    } else {
        ""
    };
    writeln!(out, "{label}: {}{more}", listed.join(", "))
}

/// A query in quotes, unless it has quotes of its own.
fn quoted(query: &str) -> String {
    if query.contains('"') {
        query.to_string()
    } else {
        format!("\"{query}\"")
    }
}

/// `1 article`, `2 articles`.
fn articles(count: usize) -> String {
    if count == 1 {
        "1 article".to_string()
    } else {
        format!("{count} articles")
    }
}

/// `2026-01-25 11:53 UTC`.
fn display_time(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// Writes what the extractor read from a page.
pub fn write_articles(out: &mut impl Write, page: &Path, articles: &[Article]) -> io::Result<()> {
    writeln!(out, "{}: {} articles", page.display(), articles.len())?;
    for (n, article) in articles.iter().enumerate() {
        writeln!(
            out,
            "{}. [{}] {}",
            n + 1,
            article.kind.as_str(),
            article.title
        )?;
        let mut facts = Vec::new();
        if let Some(city) = &article.city {
            facts.push(format!("city {city}"));
        }
        if !article.agencies.is_empty() {
            facts.push(format!("agencies {}", article.agencies.join("/")));
        }
        if let Some(section) = &article.section {
            facts.push(format!("section {section}"));
        }
        if let Some(age) = &article.age {
            facts.push(format!("age \"{}\"", age.text));
        }
        if let Some(published) = article.published {
            facts.push(format!(
                "published {} (from the {})",
                display_time(published),
                article.time_source.as_str()
            ));
        }
        facts.push(format!("lang {}", article.lang));
        if let Some(outlet) = &article.outlet {
            facts.push(format!("outlet {outlet}"));
        }
        if let Some(url) = &article.url {
            facts.push(url.clone());
        }
        writeln!(out, "   {}", facts.join(" · "))?;
        let body: String = article
            .body
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let short: String = body.chars().take(160).collect();
        let ellipsis = if short.len() < body.len() { " …" } else { "" };
        writeln!(out, "   {short}{ellipsis}")?;
    }
    Ok(())
}

/// Writes index statistics.
pub fn write_stats(out: &mut impl Write, stats: &Stats) -> io::Result<()> {
    writeln!(out, "articles: {}", stats.articles)?;
    writeln!(out, "pages: {}", stats.pages)?;
    writeln!(
        out,
        "stories on several pages: {}",
        stats.stories_on_several_pages
    )?;
    write_counts(out, "top agencies", &stats.top_agencies)?;
    write_counts(out, "top cities", &stats.top_cities)?;
    write_counts(out, "top sections", &stats.top_sections)?;
    write_counts(out, "top outlets", &stats.top_outlets)?;
    write_counts(out, "times from", &stats.time_sources)?;
    writeln!(
        out,
        "index size: {:.1} MB",
        stats.index_bytes as f64 / 1_000_000.0
    )
}

#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn wrap(self, style: &str, text: &str) -> String {
        if self.0 {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    fn snippet(self, snippet: &Snippet) -> String {
        let flat = |s: &str| s.replace(['\n', '\r'], " ");
        if !self.0 {
            return flat(&snippet.text);
        }
        let mut out = String::new();
        let mut at = 0;
        for range in &snippet.highlights {
            out.push_str(&flat(&snippet.text[at..range.start]));
            out.push_str(&self.wrap(MATCH, &snippet.text[range.clone()]));
            at = range.end;
        }
        out.push_str(&flat(&snippet.text[at..]));
        out
    }
}

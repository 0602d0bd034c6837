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
    write_corrected(out, &hits.query, hits.corrected.as_deref())?;
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
        write_hit(out, hit, hits.offset + n + 1, paint)?;
    }
    if hits.total == 0 {
        return write_none(out, answered, &hits.without_filters);
    }
    let shown = hits.hits.len();
    let which = if hits.any_word { "any word of " } else { "" };
    write!(
        out,
        "{} {which}{}",
        match_count(hits.total),
        quoted(answered)
    )?;
    if shown < hits.total {
        if shown == 0 {
            write!(out, " (none shown from {})", hits.offset + 1)?;
        } else if shown == 1 && hits.offset == 0 {
            write!(out, " (showing 1)")?;
        } else {
            write!(
                out,
                " (showing {}–{})",
                hits.offset + 1,
                hits.offset + shown
            )?;
        }
    }
    writeln!(out)?;
    write_counts(out, "agencies", &hits.agencies)?;
    write_counts(out, "cities", &hits.cities)?;
    write_counts(out, "sections", &hits.sections)?;
    write_counts(out, "outlets", &hits.outlets)
}

fn write_hit(out: &mut impl Write, hit: &Hit, n: usize, paint: Paint) -> io::Result<()> {
    let title = Snippet {
        text: hit.title.clone(),
        highlights: hit.title_highlights.clone(),
    };
    writeln!(out, "{n}. {}", paint.wrap(BOLD, &paint.snippet(&title)))?;
    let mut dateline = Vec::new();
    if let Some(city) = &hit.city {
        dateline.push(city.clone());
    }
    if !hit.agencies.is_empty() {
        dateline.push(hit.agencies.join("/"));
    }
    if let Some(published) = hit.published {
        dateline.push(display_time_of(published, hit.time_source));
    }
    if let Some(section) = &hit.section {
        dateline.push(section.clone());
    }
    dateline.push(hit.kind.as_str().to_string());
    dateline.push(super::display_id(hit.id));
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

/// Writes what is new for saved searches: per search a heading, then its new and
/// updated hits; a search with nothing new is one line.
pub fn write_followed(
    out: &mut impl Write,
    followed: &[crate::follow::Followed],
    color: bool,
) -> io::Result<()> {
    let paint = Paint(color);
    // A search with hits stands apart (its hits end with a blank line); those with
    // nothing new are a line each.
    let mut after_blank = true;
    for one in followed {
        let has_hits = !(one.new.is_empty() && one.updated.is_empty());
        if has_hits && !after_blank {
            writeln!(out)?;
        }
        after_blank = has_hits;
        let since = crate::clock::from_unix(one.saved.shown_at)
            .map(display_time)
            .unwrap_or_default();
        let heading = format!("{} ({})", one.saved.name, one.saved.criteria.describe());
        if one.restarted {
            writeln!(
                out,
                "{}: the index was made again; new articles are counted from now",
                paint.wrap(BOLD, &heading)
            )?;
            continue;
        }
        if one.new.is_empty() && one.updated.is_empty() {
            writeln!(
                out,
                "{}: nothing new since {since}",
                paint.wrap(BOLD, &heading)
            )?;
            continue;
        }
        writeln!(
            out,
            "{}: {} new, {} updated since {since}",
            paint.wrap(BOLD, &heading),
            one.new.len(),
            one.updated.len()
        )?;
        for (n, hit) in one.new.iter().enumerate() {
            write_hit(out, hit, n + 1, paint)?;
        }
        for (n, hit) in one.updated.iter().enumerate() {
            write!(out, "{} ", paint.wrap(DIM, "updated"))?;
            write_hit(out, hit, one.new.len() + n + 1, paint)?;
        }
    }
    Ok(())
}

/// Writes the saved searches: name, search, when last shown.
pub fn write_saved(out: &mut impl Write, saved: &[crate::follow::Saved]) -> io::Result<()> {
    if saved.is_empty() {
        return writeln!(
            out,
            "no saved searches; save one with: dateline follow add <NAME> <QUERY> [filters]"
        );
    }
    let width = saved
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(0);
    for one in saved {
        let shown = crate::clock::from_unix(one.shown_at)
            .map(display_time)
            .unwrap_or_default();
        writeln!(
            out,
            "{:width$}  {}  (last shown {shown})",
            one.name,
            one.criteria.describe()
        )?;
    }
    Ok(())
}

/// Where the query as typed matched nothing and its correction is answered: says so.
fn write_corrected(out: &mut impl Write, query: &str, corrected: Option<&str>) -> io::Result<()> {
    match corrected {
        Some(corrected) => writeln!(
            out,
            "no results for {}; showing results for {}",
            quoted(query),
            quoted(corrected)
        ),
        None => Ok(()),
    }
}

/// Nothing matched: says so, and which filter left nothing (how many match without it).
fn write_none(
    out: &mut impl Write,
    answered: &str,
    without_filters: &[(String, usize)],
) -> io::Result<()> {
    writeln!(out, "no articles match {}", quoted(answered))?;
    for (filter, total) in without_filters {
        if *total > 0 {
            writeln!(out, "{} without {filter}", match_count(*total))?;
        }
    }
    Ok(())
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

/// `1 article matches`, `2 articles match`.
fn match_count(count: usize) -> String {
    let verb = if count == 1 { "matches" } else { "match" };
    format!("{} {verb}", articles(count))
}

/// A time as people in the Netherlands read it (`2026-01-25 12:53 CET`), with `≈` for an
/// estimate from a file's time.
fn display_time(t: time::OffsetDateTime) -> String {
    crate::clock::display_amsterdam(t)
}

fn display_time_of(t: time::OffsetDateTime, source: TimeSource) -> String {
    let estimate = if source == TimeSource::File {
        "≈"
    } else {
        ""
    };
    format!("{estimate}{}", display_time(t))
}

/// Writes what the extractor read from a page.
pub fn write_articles(out: &mut impl Write, page: &Path, articles: &[Article]) -> io::Result<()> {
    writeln!(
        out,
        "{}: {}",
        page.display(),
        self::articles(articles.len())
    )?;
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

/// Writes a whole article (`show`): title, dateline, time and where it came from,
/// outlet and URLs, the pages it was found on, and the text, wrapped at `width`
/// characters (not at all with `None`).
pub fn write_article(
    out: &mut impl Write,
    article: &crate::search::Article,
    width: Option<usize>,
    color: bool,
) -> io::Result<()> {
    let paint = Paint(color);
    let hit = &article.hit;
    writeln!(out, "{}", paint.wrap(BOLD, &hit.title))?;
    let mut dateline = Vec::new();
    if let Some(city) = &hit.city {
        dateline.push(city.clone());
    }
    if !hit.agencies.is_empty() {
        dateline.push(hit.agencies.join("/"));
    }
    if let Some(section) = &hit.section {
        dateline.push(section.clone());
    }
    dateline.push(hit.kind.as_str().to_string());
    dateline.push(super::display_id(hit.id));
    writeln!(out, "{}", paint.wrap(DIM, &dateline.join(" · ")))?;
    if let Some(published) = hit.published {
        let how = match hit.time_source {
            TimeSource::Page => "as the page states it",
            TimeSource::Age => "from its age on the page",
            TimeSource::File => "an estimate from the file's time",
        };
        writeln!(
            out,
            "{} ({how})",
            display_time_of(published, hit.time_source)
        )?;
    }
    if let Some(outlet) = &hit.outlet {
        writeln!(out, "{outlet}")?;
    }
    for url in &article.urls {
        writeln!(out, "{url}")?;
    }
    let on = if article.pages.len() == 1 {
        "found on 1 page:".to_string()
    } else {
        format!("found on {} pages:", article.pages.len())
    };
    writeln!(out, "{on}")?;
    for page in &article.pages {
        writeln!(out, "  {page}")?;
    }
    writeln!(out)?;
    for paragraph in article.body.lines().filter(|p| !p.trim().is_empty()) {
        match width {
            Some(width) => {
                for line in wrap(paragraph, width) {
                    writeln!(out, "{line}")?;
                }
            }
            None => writeln!(out, "{paragraph}")?,
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Lines of at most `width` characters, broken at spaces (a longer word has a line of
/// its own).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        let length = word.chars().count();
        if chars > 0 && chars + 1 + length > width {
            lines.push(std::mem::take(&mut line));
            chars = 0;
        }
        if chars > 0 {
            line.push(' ');
            chars += 1;
        }
        line.push_str(word);
        chars += length;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Periods drawn as one bar each; more are drawn as sparklines.
const BAR_PERIODS: usize = 100;
/// The longest bar, in characters.
const BAR_WIDTH: usize = 50;
/// Periods per sparkline row.
const SPARK_PERIODS: usize = 60;

/// Writes a timeline: a bar per period, or sparklines for long ranges, then the total.
pub fn write_timeline(
    out: &mut impl Write,
    timeline: &crate::search::timeline::Timeline,
) -> io::Result<()> {
    use crate::search::timeline::Period;
    let answered = timeline.corrected.as_deref().unwrap_or(&timeline.query);
    write_corrected(out, &timeline.query, timeline.corrected.as_deref())?;
    let label = |start: time::Date| match timeline.by {
        Period::Day => start.to_string(),
        Period::Week => {
            let (year, week, _) = start.to_iso_week_date();
            format!("{start} week {week:02} of {year}")
        }
        Period::Month => format!("{:04}-{:02}", start.year(), u8::from(start.month())),
        Period::Year => format!("{:04}", start.year()),
    };
    let max = timeline.buckets.iter().map(|b| b.count).max().unwrap_or(0);
    if timeline.buckets.len() <= BAR_PERIODS {
        let labels: Vec<String> = timeline.buckets.iter().map(|b| label(b.start)).collect();
        let label_width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        let count_width = max.to_string().len();
        for (bucket, label) in timeline.buckets.iter().zip(&labels) {
            let split: Vec<String> = bucket
                .split
                .iter()
                .map(|(value, count)| format!("{value} {count}"))
                .collect();
            let split = if split.is_empty() {
                String::new()
            } else {
                format!("  {}", split.join(", "))
            };
            let bar = bar(bucket.count, max);
            let line = format!(
                "{label:<label_width$}  {count:>count_width$} {bar}{split}",
                count = bucket.count
            );
            writeln!(out, "{}", line.trim_end())?;
        }
    } else {
        // One sparkline for all matches, and one under it for each split value.
        let names: Vec<&str> = std::iter::once("all")
            .chain(timeline.split_values.iter().map(String::as_str))
            .collect();
        let name_width = if timeline.split.is_some() {
            names.iter().map(|n| n.chars().count()).max().unwrap_or(0) + 1
        } else {
            0
        };
        let count_of = |bucket: &crate::search::timeline::Bucket, name: &str| {
            if name == "all" {
                bucket.count
            } else {
                bucket
                    .split
                    .iter()
                    .find(|(value, _)| value == name)
                    .map_or(0, |(_, n)| *n)
            }
        };
        for row in timeline.buckets.chunks(SPARK_PERIODS) {
            let first = label(row[0].start);
            let last = label(row[row.len() - 1].start);
            let lines = if timeline.split.is_some() {
                &names[..]
            } else {
                &names[..1]
            };
            for name in lines {
                let line: String = row.iter().map(|b| spark(count_of(b, name), max)).collect();
                let name = if name_width > 0 { *name } else { "" };
                writeln!(out, "{name:<name_width$}{first} {line} {last}")?;
            }
        }
        if let Some(peak) = timeline.buckets.iter().max_by_key(|b| b.count) {
            writeln!(
                out,
                "one character a {}; the highest, {}, in {}",
                timeline.by.as_str(),
                peak.count,
                label(peak.start)
            )?;
        }
    }
    if timeline.total == 0 {
        return write_none(out, answered, &timeline.without_filters);
    }
    write!(
        out,
        "{} {}, by {}",
        match_count(timeline.total as usize),
        quoted(answered),
        timeline.by.as_str()
    )?;
    if let Some(split) = timeline.split {
        write!(out, ", split by {}", split.as_str())?;
    }
    if timeline.undated > 0 {
        write!(out, " ({} without a time)", timeline.undated)?;
    }
    writeln!(out)
}

/// A bar of `count` against `max`, in eighths of a character.
fn bar(count: u64, max: u64) -> String {
    if max == 0 || count == 0 {
        return String::new();
    }
    let eighths = ((count * (BAR_WIDTH as u64) * 8).div_ceil(max)).max(1) as usize;
    let mut bar = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        bar.push([' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths % 8]);
    }
    bar
}

/// One sparkline character for `count` against `max`: a space for none.
fn spark(count: u64, max: u64) -> char {
    const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    if count == 0 || max == 0 {
        return ' ';
    }
    LEVELS[((count * 8).div_ceil(max) as usize).clamp(1, 8) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(wrap("een twee drie vier", 9), ["een twee", "drie vier"]);
        assert_eq!(
            wrap("lang-woord-zonder-spatie x", 5),
            ["lang-woord-zonder-spatie", "x"]
        );
    }

    #[test]
    fn bars_and_sparks_scale_to_the_highest() {
        assert_eq!(bar(0, 10), "");
        assert_eq!(bar(10, 10).chars().count(), BAR_WIDTH);
        assert_eq!(bar(1, 1000), "▏");
        assert_eq!(spark(0, 10), ' ');
        assert_eq!(spark(10, 10), '█');
        assert_eq!(spark(1, 10), '▁');
    }
}

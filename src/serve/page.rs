//! The HTML of `dateline serve`, rendered on the server. Everything that comes from a
//! page (titles, bodies, cities, URLs) goes through [`esc`]; nothing is inline script.

use super::params::{PAGE_HITS, Params, sort_name};
use crate::clock;
use crate::extract::TimeSource;
use crate::follow::Saved;
use crate::search::timeline::{Bucket, Timeline};
use crate::search::{self, Hit, Hits, Snippet, Sort};
use axum::http::StatusCode;
use std::fmt::Write;
use std::ops::Range;

/// Facet values with their counts, most first.
type Counts = [(String, u64)];

/// Text made safe for HTML text and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    search::escape_html(text, &mut out);
    out
}

/// Text with its matches in `<mark>`, all of it escaped.
fn marked(text: &str, highlights: &[Range<usize>]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for range in highlights {
        if range.start < at || text.get(range.clone()).is_none() {
            continue;
        }
        out.push_str(&esc(&text[at..range.start]));
        let _ = write!(out, "<mark>{}</mark>", esc(&text[range.clone()]));
        at = range.end;
    }
    out.push_str(&esc(&text[at..]));
    out
}

fn head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><link rel=\"stylesheet\" href=\"/static/style.css\">\
         <script src=\"/static/app.js\" defer></script></head><body>",
        esc(title)
    )
}

const FOOT: &str = "</body></html>\n";

/// The search form, keeping the filters that are set.
fn form(params: &Params) -> String {
    let mut html = String::from(
        "<header><a class=\"home\" href=\"/\">dateline</a>\
         <form class=\"search\" method=\"get\" action=\"/\" role=\"search\">",
    );
    let _ = write!(
        html,
        "<input type=\"search\" name=\"q\" id=\"q\" value=\"{}\" placeholder=\"Search: words, &quot;a phrase&quot;, -without, title:word\" aria-label=\"Search\">",
        esc(&params.q)
    );
    for (name, values) in [
        ("agency", &params.agencies),
        ("city", &params.cities),
        ("outlet", &params.outlets),
        ("section", &params.sections),
        ("lang", &params.langs),
    ] {
        for value in values {
            let _ = write!(
                html,
                "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
                esc(value)
            );
        }
    }
    let date = |value: &Option<String>| value.clone().unwrap_or_default();
    let _ = write!(
        html,
        "<label>from <input type=\"date\" name=\"since\" id=\"since\" value=\"{}\"></label>\
         <label>to <input type=\"date\" name=\"until\" id=\"until\" value=\"{}\"></label>",
        esc(&date(&params.since)),
        esc(&date(&params.until))
    );
    html.push_str("<select name=\"sort\" id=\"sort\" aria-label=\"Order\">");
    for (sort, label) in [
        (None, "relevance"),
        (Some(Sort::Date), "newest first"),
        (Some(Sort::Oldest), "oldest first"),
    ] {
        let value = sort.map_or("", sort_name);
        let selected =
            if params.sort == sort || (sort.is_none() && params.sort == Some(Sort::Relevance)) {
                " selected"
            } else {
                ""
            };
        let _ = write!(html, "<option value=\"{value}\"{selected}>{label}</option>");
    }
    html.push_str("</select><button type=\"submit\">Search</button></form></header>");
    html
}

/// The saved searches (`follow`), each a link to its page, with how many stories are
/// new and updated since it was last shown.
fn saved_list(html: &mut String, params: &Params, saved: &[(Saved, usize, usize)]) {
    if saved.is_empty() {
        return;
    }
    html.push_str("<section class=\"facet saved\" id=\"saved\"><h2>Saved searches</h2><ul>");
    for (one, new, updated) in saved {
        let on = params.follow.as_deref() == Some(one.name.as_str());
        let mut count = format!("{new} new");
        if *updated > 0 {
            let _ = write!(count, ", {updated} updated");
        }
        let _ = write!(
            html,
            "<li><a class=\"value{}\" data-saved=\"{}\" data-new=\"{new}\" data-updated=\"{updated}\" href=\"/?{}\" title=\"{}\">{} <span class=\"count{}\">{count}</span></a></li>",
            if on { " on" } else { "" },
            esc(&one.name),
            esc(&Params::of_saved(one).to_query()),
            esc(&one.criteria.describe()),
            esc(&one.name),
            if *new + *updated > 0 { " fresh" } else { "" },
        );
    }
    html.push_str("</ul></section>");
}

/// The results page: form, saved searches, facets, timeline, hits, paging. With a saved
/// search followed, hits that came into the index since it was last shown are marked.
pub fn results(
    params: &Params,
    hits: &Hits,
    languages: &[(String, u64)],
    timeline: &Timeline,
    saved: &[(Saved, usize, usize)],
) -> String {
    let followed = params
        .follow
        .as_deref()
        .and_then(|name| saved.iter().find(|(s, _, _)| s.name == name))
        .map(|(s, _, _)| s);
    let title = if params.q.is_empty() {
        "dateline".to_string()
    } else {
        format!("{} · dateline", params.q)
    };
    let mut html = head(&title);
    html.push_str(&form(params));
    html.push_str("<main><aside class=\"facets\">");
    saved_list(&mut html, params, saved);
    let facets: [(&str, &str, &Counts); 5] = [
        ("agency", "Agencies", &hits.agencies),
        ("city", "Cities", &hits.cities),
        ("section", "Sections", &hits.sections),
        ("outlet", "Outlets", &hits.outlets),
        ("lang", "Languages", languages),
    ];
    for (facet, label, counts) in facets {
        facet_list(&mut html, params, facet, label, counts);
    }
    html.push_str("</aside><section class=\"results\">");
    if let Some(saved) = followed {
        let since = clock::from_unix(saved.shown_at)
            .map(clock::display_amsterdam)
            .unwrap_or_default();
        let _ = write!(
            html,
            "<p class=\"note\" id=\"following\">Saved search <b>{}</b> ({}): what came into the index since it was last shown ({}) is marked new.</p>",
            esc(&saved.name),
            esc(&saved.criteria.describe()),
            esc(&since)
        );
    }
    notes(&mut html, params, hits);
    timeline_svg(&mut html, params, timeline);
    let _ = write!(
        html,
        "<p class=\"total\" id=\"total\" data-total=\"{}\">{}</p>",
        hits.total,
        summary(hits)
    );
    let _ = write!(
        html,
        "<ol class=\"hits\" id=\"hits\" start=\"{}\">",
        hits.offset + 1
    );
    for hit in &hits.hits {
        hit_item(&mut html, hit, followed);
    }
    html.push_str("</ol>");
    paging(&mut html, params, hits);
    html.push_str("</section></main>");
    html.push_str(FOOT);
    html
}

fn summary(hits: &Hits) -> String {
    let articles = if hits.total == 1 {
        "1 article".to_string()
    } else {
        format!("{} articles", hits.total)
    };
    if hits.hits.is_empty() {
        articles
    } else {
        format!(
            "{articles}; {}–{} shown",
            hits.offset + 1,
            hits.offset + hits.hits.len()
        )
    }
}

/// Corrections, "did you mean", any-word answers, and the filter that left nothing.
fn notes(html: &mut String, params: &Params, hits: &Hits) {
    if let Some(corrected) = &hits.corrected {
        let _ = write!(
            html,
            "<p class=\"note\" id=\"corrected\">No results for <q>{}</q>; showing results for <q>{}</q>.</p>",
            esc(&hits.query),
            esc(corrected)
        );
    }
    if !hits.suggestions.is_empty() {
        html.push_str("<p class=\"note\" id=\"did-you-mean\">Did you mean ");
        let links: Vec<String> = hits
            .suggestions
            .iter()
            .map(|(query, total)| {
                let other = Params {
                    q: query.clone(),
                    page: 1,
                    ..params.clone()
                };
                format!(
                    "<a href=\"/?{}\">{}</a> ({total})",
                    esc(&other.to_query()),
                    esc(query)
                )
            })
            .collect();
        html.push_str(&links.join(" or "));
        html.push_str("?</p>");
    }
    if hits.any_word {
        html.push_str(
            "<p class=\"note\">No article has all the words; these have any of them.</p>",
        );
    }
    for (filter, total) in &hits.without_filters {
        if *total > 0 {
            let _ = write!(
                html,
                "<p class=\"note\">{total} match without <code>{}</code>.</p>",
                esc(filter)
            );
        }
    }
}

fn facet_list(
    html: &mut String,
    params: &Params,
    facet: &str,
    label: &str,
    counts: &[(String, u64)],
) {
    if counts.is_empty() {
        return;
    }
    let _ = write!(html, "<section class=\"facet\"><h2>{label}</h2><ul>");
    for (value, count) in counts.iter().take(15) {
        let on = params.has(facet, value);
        let link = params.toggled(facet, value).to_query();
        let _ = write!(
            html,
            "<li><a class=\"value{}\" data-facet=\"{facet}\" data-value=\"{}\" href=\"/?{}\">\
             <span class=\"box\" aria-hidden=\"true\">{}</span>{} <span class=\"count\">{count}</span></a></li>",
            if on { " on" } else { "" },
            esc(value),
            esc(&link),
            if on { "☑" } else { "☐" },
            esc(value)
        );
    }
    // A filter that is set but has no matches left stays removable.
    for value in filter_values(params, facet) {
        if !counts.iter().any(|(v, _)| v.eq_ignore_ascii_case(value)) {
            let link = params.toggled(facet, value).to_query();
            let _ = write!(
                html,
                "<li><a class=\"value on\" data-facet=\"{facet}\" data-value=\"{}\" href=\"/?{}\"><span class=\"box\">☑</span>{} <span class=\"count\">0</span></a></li>",
                esc(value),
                esc(&link),
                esc(value)
            );
        }
    }
    html.push_str("</ul></section>");
}

fn filter_values<'a>(params: &'a Params, facet: &str) -> &'a [String] {
    match facet {
        "agency" => &params.agencies,
        "city" => &params.cities,
        "outlet" => &params.outlets,
        "section" => &params.sections,
        _ => &params.langs,
    }
}

fn hit_item(html: &mut String, hit: &Hit, followed: Option<&Saved>) {
    let id = crate::output::display_id(hit.id);
    let new = match followed {
        Some(saved) if saved.is_new(hit) => {
            let since = clock::from_unix(saved.shown_at)
                .map(clock::display_amsterdam)
                .unwrap_or_default();
            format!("<span class=\"new\">new since {}</span> ", esc(&since))
        }
        _ => String::new(),
    };
    let _ = write!(
        html,
        "<li class=\"hit\"><h3>{new}<a class=\"title\" href=\"/article/{id}\">{}</a></h3><p class=\"meta\">{}</p>",
        marked(&hit.title, &hit.title_highlights),
        esc(&meta(hit, true))
    );
    let origin: Vec<&str> = hit
        .outlet
        .iter()
        .chain(&hit.url)
        .map(String::as_str)
        .collect();
    if !origin.is_empty() {
        let _ = write!(html, "<p class=\"origin\">{}</p>", esc(&origin.join(" · ")));
    }
    let snippet: &Snippet = &hit.snippet;
    let _ = write!(
        html,
        "<p class=\"snippet\">{}</p></li>",
        marked(&snippet.text, &snippet.highlights)
    );
}

/// City · agencies · time (≈ for an estimate) · section · kind.
fn meta(hit: &Hit, with_time: bool) -> String {
    let mut parts: Vec<String> = Vec::new();
    parts.extend(hit.city.clone());
    if !hit.agencies.is_empty() {
        parts.push(hit.agencies.join("/"));
    }
    if with_time && let Some(published) = hit.published {
        let estimate = if hit.time_source == TimeSource::File {
            "≈"
        } else {
            ""
        };
        parts.push(format!("{estimate}{}", clock::display_amsterdam(published)));
    }
    parts.extend(hit.section.clone());
    parts.push(hit.kind.as_str().to_string());
    parts.join(" · ")
}

fn paging(html: &mut String, params: &Params, hits: &Hits) {
    html.push_str("<nav class=\"pages\">");
    if params.page > 1 {
        let previous = Params {
            page: params.page - 1,
            ..params.clone()
        };
        let _ = write!(
            html,
            "<a rel=\"prev\" href=\"/?{}\">← newer page</a>",
            esc(&previous.to_query())
        );
    }
    if hits.offset + hits.hits.len() < hits.total && params.page < 10_000 {
        let next = Params {
            page: params.page + 1,
            ..params.clone()
        };
        let _ = write!(
            html,
            "<a rel=\"next\" id=\"next\" href=\"/?{}\">next {PAGE_HITS} →</a>",
            esc(&next.to_query())
        );
    }
    html.push_str("</nav>");
}

/// The timeline as an SVG of bars, each a link that narrows the dates to its period.
fn timeline_svg(html: &mut String, params: &Params, timeline: &Timeline) {
    if timeline.buckets.is_empty() {
        return;
    }
    const WIDTH: f64 = 800.0;
    const HEIGHT: f64 = 110.0;
    let n = timeline.buckets.len() as f64;
    let step = WIDTH / n;
    let max = timeline
        .buckets
        .iter()
        .map(|b| b.count)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let _ = write!(
        html,
        "<figure class=\"timeline\" id=\"timeline\"><svg viewBox=\"0 0 {WIDTH} {}\" role=\"img\" aria-label=\"Matches per {}\">",
        HEIGHT + 16.0,
        timeline.by.as_str()
    );
    for (i, bucket) in timeline.buckets.iter().enumerate() {
        let x = i as f64 * step;
        let (since, until) = period_days(timeline, i);
        let narrowed = Params {
            since: Some(since.to_string()),
            until: Some(until.to_string()),
            page: 1,
            by: None,
            ..params.clone()
        };
        let label = format!("{}: {}", period_label(timeline, bucket), bucket.count);
        let _ = write!(
            html,
            "<a class=\"bar\" href=\"/?{}\" data-start=\"{since}\" data-count=\"{}\"><title>{}</title><rect class=\"hit-area\" x=\"{x:.2}\" y=\"0\" width=\"{step:.2}\" height=\"{HEIGHT}\"/>",
            esc(&narrowed.to_query()),
            bucket.count,
            esc(&label)
        );
        // Stacked by split value where asked, else one bar.
        let mut y = HEIGHT;
        let parts: Vec<(usize, u64)> = if bucket.split.is_empty() {
            vec![(usize::MAX, bucket.count)]
        } else {
            bucket
                .split
                .iter()
                .map(|(value, count)| {
                    let colour = timeline
                        .split_values
                        .iter()
                        .position(|v| v == value)
                        .unwrap_or(0);
                    (colour, *count)
                })
                .collect()
        };
        for (colour, count) in parts {
            let height = count as f64 / max * HEIGHT;
            y -= height;
            let class = if colour == usize::MAX {
                "b".to_string()
            } else {
                format!("b s{}", colour % 11)
            };
            let _ = write!(
                html,
                "<rect class=\"{class}\" x=\"{:.2}\" y=\"{y:.2}\" width=\"{:.2}\" height=\"{height:.2}\"/>",
                x + step * 0.1,
                step * 0.8
            );
        }
        html.push_str("</a>");
    }
    let first = period_label(timeline, &timeline.buckets[0]);
    let last = period_label(timeline, &timeline.buckets[timeline.buckets.len() - 1]);
    let _ = write!(
        html,
        "<text x=\"0\" y=\"{}\">{}</text><text x=\"{WIDTH}\" y=\"{}\" text-anchor=\"end\">{}</text></svg>",
        HEIGHT + 14.0,
        esc(&first),
        HEIGHT + 14.0,
        esc(&last)
    );
    let split_link = Params {
        split: if timeline.split.is_some() {
            None
        } else {
            Some(search::timeline::Split::Agency)
        },
        page: 1,
        ..params.clone()
    };
    let _ = write!(
        html,
        "<figcaption>Matches per {} · <a id=\"split\" href=\"/?{}\">{}</a>",
        timeline.by.as_str(),
        esc(&split_link.to_query()),
        if timeline.split.is_some() {
            "one bar"
        } else {
            "split by agency"
        }
    );
    if timeline.split.is_some() {
        html.push_str(" <span class=\"legend\">");
        for (i, value) in timeline.split_values.iter().enumerate() {
            let _ = write!(
                html,
                "<span class=\"key s{}\">{}</span> ",
                i % 11,
                esc(value)
            );
        }
        html.push_str("</span>");
    }
    html.push_str("</figcaption></figure>");
}

/// The first and last day of bucket `i`.
fn period_days(timeline: &Timeline, i: usize) -> (time::Date, time::Date) {
    let start = timeline.buckets[i].start;
    let end = timeline
        .buckets
        .get(i + 1)
        .map(|next| next.start.previous_day().unwrap_or(next.start))
        .unwrap_or_else(|| {
            // The last bucket: to its period's end.
            let next = match timeline.by {
                search::timeline::Period::Day => start.next_day(),
                search::timeline::Period::Week => start.checked_add(time::Duration::days(7)),
                search::timeline::Period::Month => {
                    let (y, m) = if start.month() == time::Month::December {
                        (start.year() + 1, time::Month::January)
                    } else {
                        (start.year(), start.month().next())
                    };
                    time::Date::from_calendar_date(y, m, 1).ok()
                }
                search::timeline::Period::Year => {
                    time::Date::from_calendar_date(start.year() + 1, time::Month::January, 1).ok()
                }
            };
            next.and_then(|d| d.previous_day()).unwrap_or(start)
        });
    (start, end)
}

fn period_label(timeline: &Timeline, bucket: &Bucket) -> String {
    let start = bucket.start;
    match timeline.by {
        search::timeline::Period::Day => start.to_string(),
        search::timeline::Period::Week => format!("week of {start}"),
        search::timeline::Period::Month => {
            format!("{:04}-{:02}", start.year(), u8::from(start.month()))
        }
        search::timeline::Period::Year => start.year().to_string(),
    }
}

/// The article view: the whole text, its time and origin, every page it is on.
pub fn article(article: &search::Article) -> String {
    let hit = &article.hit;
    let mut html = head(&format!("{} · dateline", hit.title));
    html.push_str(&form(&Params {
        page: 1,
        ..Params::default()
    }));
    let _ = write!(
        html,
        "<main class=\"article\"><article><p><a id=\"back\" href=\"/\">← back to the results</a></p><h1 id=\"title\">{}</h1><p class=\"meta\">{}</p>",
        esc(&hit.title),
        esc(&meta(hit, false))
    );
    if let Some(published) = hit.published {
        let how = match hit.time_source {
            TimeSource::Page => "as the page states it",
            TimeSource::Age => "from its age on the page",
            TimeSource::File => "an estimate from the file's time",
        };
        let estimate = if hit.time_source == TimeSource::File {
            "≈"
        } else {
            ""
        };
        let _ = write!(
            html,
            "<p class=\"time\"><time datetime=\"{}\">{estimate}{}</time> ({how})</p>",
            clock::rfc3339(published),
            clock::display_amsterdam(published)
        );
    }
    if let Some(outlet) = &hit.outlet {
        let _ = write!(html, "<p class=\"origin\">{}</p>", esc(outlet));
    }
    html.push_str("<div class=\"body\" id=\"body\">");
    for paragraph in article.body.lines().filter(|p| !p.trim().is_empty()) {
        let _ = write!(html, "<p>{}</p>", esc(paragraph));
    }
    html.push_str("</div><section class=\"where\"><h2>Where it was found</h2><ul id=\"urls\">");
    for url in &article.urls {
        // Only web addresses are links: a page may name any scheme.
        if url.starts_with("http://") || url.starts_with("https://") {
            let _ = write!(
                html,
                "<li><a href=\"{}\" rel=\"noopener noreferrer nofollow\">{}</a></li>",
                esc(url),
                esc(url)
            );
        } else {
            let _ = write!(html, "<li>{}</li>", esc(url));
        }
    }
    html.push_str("</ul><ul id=\"pages\">");
    for page in &article.pages {
        let _ = write!(html, "<li><code>{}</code></li>", esc(page));
    }
    let _ = write!(
        html,
        "</ul><p class=\"id\">id {}</p></section></article></main>",
        crate::output::display_id(hit.id)
    );
    html.push_str(FOOT);
    html
}

/// A page that says what went wrong.
pub fn error(status: StatusCode, message: &str) -> String {
    let mut html = head(&format!("{} · dateline", status.as_u16()));
    html.push_str(&form(&Params {
        page: 1,
        ..Params::default()
    }));
    let _ = write!(
        html,
        "<main><p class=\"error\" id=\"error\">{}: {}</p></main>",
        status.as_u16(),
        esc(message)
    );
    html.push_str(FOOT);
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_text_is_escaped() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
        assert_eq!(
            marked("<b>Kim</b> & co", std::slice::from_ref(&(3..6))),
            "&lt;b&gt;<mark>Kim</mark>&lt;/b&gt; &amp; co"
        );
    }
}

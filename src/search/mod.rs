//! Query → hits: parse the query, add the filters, collect the top hits with exact
//! counts and facet counts, and cut snippets. Returns [`Hits`]; never prints.

use crate::analysis::{aliases, fold_key};
use crate::extract::{Kind, TimeSource};
use crate::index::schema::{self, Fields};
use crate::index::{FacetCounts, Story, facet, top_facets};
use crate::usage_error;
use anyhow::Result;
use serde::{Deserialize, Serialize};
use std::ops::{Bound, Range};
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, TantivyDocument};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, Order, Score, Searcher, Term};
use time::OffsetDateTime;

pub mod all;
pub mod query;
pub mod score;
pub mod spelling;
pub mod timeline;

pub use all::{Article, each_match, find_stories};

pub use score::Scoring;

/// Snippet length in characters.
const SNIPPET_CHARS: usize = 200;
/// Facet values listed per facet (the counts are over all hits).
pub const FACET_VALUES: usize = 50;

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// BM25 score, best first.
    #[default]
    Relevance,
    /// Publication time, newest first.
    Date,
    /// Publication time, oldest first.
    Oldest,
}

/// A search as the user asked for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The query text (DESIGN.md, "Query syntax").
    pub query: String,
    /// Any of these agencies.
    pub agencies: Vec<String>,
    /// Any of these cities (case- and diacritic-insensitive).
    pub cities: Vec<String>,
    /// This section.
    pub section: Option<String>,
    /// Any of these outlets (`nos.nl`; `www.` and case do not matter).
    pub outlets: Vec<String>,
    /// This language code.
    pub lang: Option<String>,
    /// Published at or after.
    pub since: Option<OffsetDateTime>,
    /// Published at or before.
    pub until: Option<OffsetDateTime>,
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Order of hits.
    pub sort: Sort,
    /// Only stories first indexed in a commit after this one (`follow`'s "new since").
    pub new_after: Option<u64>,
}

impl Request {
    /// A request for `query` with no filters and the first ten hits.
    pub fn new(query: &str) -> Request {
        Request {
            query: query.to_string(),
            agencies: Vec::new(),
            cities: Vec::new(),
            section: None,
            outlets: Vec::new(),
            lang: None,
            since: None,
            until: None,
            limit: 10,
            offset: 0,
            sort: Sort::Relevance,
            new_after: None,
        }
    }
}

/// A search as the user typed it: the query and the filters, with dates as written, so
/// that `7d` is counted back from each time the search runs. What `follow` saves.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Criteria {
    /// The query text.
    pub query: String,
    /// `--agency`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agencies: Vec<String>,
    /// `--city`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cities: Vec<String>,
    /// `--section`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// `--outlet`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outlets: Vec<String>,
    /// `--lang`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// `--since`, as typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// `--until`, as typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

impl Criteria {
    /// The request for these criteria at `now`, the first ten hits by relevance. A date
    /// that does not parse is a usage error.
    pub fn request(&self, now: OffsetDateTime) -> Result<Request> {
        let span = |flag: &str, text: &Option<String>| -> Result<Option<crate::clock::Span>> {
            text.as_deref()
                .map(|text| {
                    crate::clock::parse_user_span(text, now).ok_or_else(|| {
                        usage_error(format!(
                            "{flag} '{text}' is not a time: use 2019, 2019-05, 2019-05-14, 2019-05-14T12:00:00Z, or 7d, 24h, 2w (that long ago)"
                        ))
                    })
                })
                .transpose()
        };
        Ok(Request {
            agencies: self.agencies.clone(),
            cities: self.cities.clone(),
            section: self.section.clone(),
            outlets: self.outlets.clone(),
            lang: self.lang.clone(),
            since: span("--since", &self.since)?.map(|span| span.start),
            // Up to and including the span's last second.
            until: span("--until", &self.until)?.map(|span| span.end - time::Duration::seconds(1)),
            ..Request::new(&self.query)
        })
    }

    /// The search as a command line would give it: `Kim --agency RTR --since 7d`.
    pub fn describe(&self) -> String {
        let mut text = self.query.clone();
        let mut flag = |name: &str, value: &str| {
            text.push_str(&format!(" --{name} "));
            if value.contains(char::is_whitespace) || value.is_empty() {
                text.push_str(&format!("{value:?}"));
            } else {
                text.push_str(value);
            }
        };
        for agency in &self.agencies {
            flag("agency", agency);
        }
        for city in &self.cities {
            flag("city", city);
        }
        for outlet in &self.outlets {
            flag("outlet", outlet);
        }
        for (name, value) in [
            ("section", &self.section),
            ("lang", &self.lang),
            ("since", &self.since),
            ("until", &self.until),
        ] {
            if let Some(value) = value {
                flag(name, value);
            }
        }
        text
    }
}

/// The answer to a [`Request`].
#[derive(Debug, Clone, PartialEq)]
pub struct Hits {
    /// The query as given.
    pub query: String,
    /// How many articles match (all of them, not only those returned).
    pub total: usize,
    /// The hits returned, in order.
    pub hits: Vec<Hit>,
    /// Agency counts over all matches, most frequent first.
    pub agencies: Vec<(String, u64)>,
    /// City counts over all matches, most frequent first.
    pub cities: Vec<(String, u64)>,
    /// Section counts over all matches, most frequent first.
    pub sections: Vec<(String, u64)>,
    /// Outlet counts over all matches, most frequent first.
    pub outlets: Vec<(String, u64)>,
    /// Where the query as given matched nothing: the corrected query these hits answer.
    pub corrected: Option<String>,
    /// Other corrections that find articles, with how many ("did you mean").
    pub suggestions: Vec<(String, usize)>,
    /// Where no article has all the words: these hits have any of them.
    pub any_word: bool,
    /// How many hits were skipped before these (the request's offset).
    pub offset: usize,
    /// Where filters left nothing: each filter given (as typed on the command line,
    /// `--agency RTR`) with how many articles match without it.
    pub without_filters: Vec<(String, usize)>,
}

/// One matching article.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Story id.
    pub id: u64,
    /// BM25 score.
    pub score: Score,
    /// Lead article or wire item.
    pub kind: Kind,
    /// Title.
    pub title: String,
    /// Byte ranges of `title` that matched the query.
    pub title_highlights: Vec<Range<usize>>,
    /// Dateline city.
    pub city: Option<String>,
    /// Dateline agencies.
    pub agencies: Vec<String>,
    /// Section.
    pub section: Option<String>,
    /// Language code.
    pub lang: String,
    /// Publication time.
    pub published: Option<OffsetDateTime>,
    /// Where the publication time came from.
    pub time_source: TimeSource,
    /// The site that published it.
    pub outlet: Option<String>,
    /// The URL of the page it is shown from (the first any page gives).
    pub url: Option<String>,
    /// The pages the article was found on.
    pub sources: Vec<String>,
    /// The best passage of the body, with the matched words marked.
    pub snippet: Snippet,
    /// When the story came into the index.
    pub indexed: Option<crate::index::Indexed>,
    /// Its headline key ([`Story::headline_key`]).
    pub headline: u64,
}

/// A passage of text with highlighted byte ranges.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snippet {
    /// The passage.
    pub text: String,
    /// Byte ranges of `text` that matched the query, in order, not overlapping.
    pub highlights: Vec<Range<usize>>,
}

impl Snippet {
    /// HTML with `<b>` around matches and the text escaped (DESIGN.md's JSON `snippet`).
    pub fn to_html(&self) -> String {
        let mut html = String::with_capacity(self.text.len() + 16);
        let mut at = 0;
        for range in &self.highlights {
            escape_html(&self.text[at..range.start], &mut html);
            html.push_str("<b>");
            escape_html(&self.text[range.clone()], &mut html);
            html.push_str("</b>");
            at = range.end;
        }
        escape_html(&self.text[at..], &mut html);
        html
    }
}

/// Ranges in order, overlaps joined: a compound and its parts share their offsets, so
/// tantivy marks the same word once for each of them that the query names.
fn merged(ranges: impl Iterator<Item = Range<usize>>) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = ranges.collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// Appends `text` made safe for HTML text and attribute values.
pub fn escape_html(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Runs a search.
pub fn run(index: &Index, request: &Request) -> Result<Hits> {
    let searcher = crate::index::reader(index)?.searcher();
    run_on(&searcher, request)
}

/// Runs a search on a searcher the caller keeps: a long-lived process (a server, a
/// benchmark) opens the index's segments once instead of once per query.
///
/// A query that matches nothing is tried once more with its unknown words corrected
/// ([`spelling`]), and then, if it has several words, with any of them instead of all
/// (a pasted headline that no article has word for word); the hits say so in
/// [`Hits::corrected`] and [`Hits::any_word`].
pub fn run_on(searcher: &Searcher, request: &Request) -> Result<Hits> {
    let mut hits = answer(searcher, request)?;
    if hits.total == 0 {
        hits.without_filters = without_each_filter(searcher, request)?;
    }
    Ok(hits)
}

/// Runs a search as given: no typo correction, no any-word retry (`follow`, whose
/// saved query is standing, not typed just now).
pub fn run_as_typed(searcher: &Searcher, request: &Request) -> Result<Hits> {
    run_as_given(
        searcher,
        &Fields::new(&searcher.index().schema())?,
        request,
        false,
    )
}

/// Every article a request matches as given, unordered: for counting by fast fields.
pub fn matching_addresses(
    searcher: &Searcher,
    request: &Request,
) -> Result<std::collections::HashSet<DocAddress>> {
    let fields = Fields::new(&searcher.index().schema())?;
    let query = build_query(&fields, request, false)?;
    searcher
        .search(&query, &tantivy::collector::DocSetCollector)
        .map_err(|e| unrunnable(e, request))
}

/// For a request that found nothing: each filter given, with how many articles the
/// request finds without it (the filter that left nothing is the one with a count).
fn without_each_filter(searcher: &Searcher, request: &Request) -> Result<Vec<(String, usize)>> {
    without_each_filter_by(request, &mut |without| Ok(answer(searcher, without)?.total))
}

/// [`without_each_filter`] for any store: `count` answers a request with a filter left
/// out.
pub fn without_each_filter_by(
    request: &Request,
    count: &mut dyn FnMut(&Request) -> Result<usize>,
) -> Result<Vec<(String, usize)>> {
    let blank = Request {
        limit: 0,
        offset: 0,
        ..request.clone()
    };
    let mut each: Vec<(String, Request)> = Vec::new();
    let listed =
        |flag: &str, values: &[String]| format!("{flag} {}", values.join(&format!(" {flag} ")));
    if !request.agencies.is_empty() {
        each.push((
            listed("--agency", &request.agencies),
            Request {
                agencies: Vec::new(),
                ..blank.clone()
            },
        ));
    }
    if !request.cities.is_empty() {
        each.push((
            listed("--city", &request.cities),
            Request {
                cities: Vec::new(),
                ..blank.clone()
            },
        ));
    }
    if !request.outlets.is_empty() {
        each.push((
            listed("--outlet", &request.outlets),
            Request {
                outlets: Vec::new(),
                ..blank.clone()
            },
        ));
    }
    if let Some(section) = &request.section {
        each.push((
            format!("--section {section}"),
            Request {
                section: None,
                ..blank.clone()
            },
        ));
    }
    if let Some(lang) = &request.lang {
        each.push((
            format!("--lang {lang}"),
            Request {
                lang: None,
                ..blank.clone()
            },
        ));
    }
    if request.since.is_some() || request.until.is_some() {
        each.push((
            "--since/--until".to_string(),
            Request {
                since: None,
                until: None,
                ..blank.clone()
            },
        ));
    }
    each.into_iter()
        .map(|(flag, without)| Ok((flag, count(&without)?)))
        .collect()
}

/// What search answers for `request` (its typo and any-word retries, counted but no
/// hit read), and the request that answer is for: for commands that go over every
/// match (`export`, `timeline`), so that they count what `search` counts.
fn as_answered(searcher: &Searcher, request: &Request) -> Result<(Hits, Request)> {
    let hits = run_on(
        searcher,
        &Request {
            limit: 0,
            offset: 0,
            ..request.clone()
        },
    )?;
    let answered = Request {
        query: hits
            .corrected
            .clone()
            .unwrap_or_else(|| request.query.clone()),
        ..request.clone()
    };
    Ok((hits, answered))
}

/// The hits of a request, with its typo and any-word retries.
fn answer(searcher: &Searcher, request: &Request) -> Result<Hits> {
    let fields = Fields::new(&searcher.index().schema())?;
    let lexicon = spelling::Local {
        searcher,
        fields: &fields,
    };
    answer_with(request, &lexicon, &mut |asked, any_word| {
        run_as_given(searcher, &fields, asked, any_word)
    })
}

/// The hits of a request with search's retries, for any store: `run` answers a request
/// as given (with `true`: any of its words), `lexicon` holds the store's words.
pub fn answer_with(
    request: &Request,
    lexicon: &dyn spelling::Lexicon,
    run: &mut dyn FnMut(&Request, bool) -> Result<Hits>,
) -> Result<Hits> {
    let mut hits = run(request, false)?;
    if hits.total > 0 {
        // A word found in an article or two, next to one found in hundreds, is likely
        // a typo that happens to be in the index too: offer the common word.
        if let Some(correction) =
            spelling::correct_in(lexicon, &request.query, spelling::Mode::Rare)?
        {
            let offered = std::iter::once(correction.best).chain(correction.alternatives);
            hits.suggestions = counted(request, offered, run)?;
        }
        return Ok(hits);
    }
    if let Some(correction) =
        spelling::correct_in(lexicon, &request.query, spelling::Mode::Unknown)?
    {
        let retry = Request {
            query: correction.best.clone(),
            ..request.clone()
        };
        let mut again = run(&retry, false)?;
        if again.total > 0 {
            again.suggestions = counted(request, correction.alternatives, run)?;
            again.query = request.query.clone();
            again.corrected = Some(correction.best);
            return Ok(again);
        }
    }
    if query::parse(&request.query).is_ok_and(|expr| query::plain_words(&expr) > 1) {
        let again = run(request, true)?;
        if again.total > 0 {
            return Ok(again);
        }
    }
    Ok(hits)
}

/// The queries that find something, with how many, most first.
fn counted(
    request: &Request,
    queries: impl IntoIterator<Item = String>,
    run: &mut dyn FnMut(&Request, bool) -> Result<Hits>,
) -> Result<Vec<(String, usize)>> {
    let mut found = Vec::new();
    for query in queries {
        let other = Request {
            query: query.clone(),
            limit: 0,
            ..request.clone()
        };
        let total = run(&other, false)?.total;
        if total > 0 {
            found.push((query, total));
        }
    }
    found.sort_by_key(|(_, total)| std::cmp::Reverse(*total));
    Ok(found)
}

/// The hits to show, in order, with their scores.
pub type TopHits = Vec<(Score, DocAddress)>;

/// What a query matches, before any article is read: what the reference engines of
/// the speed benchmarks answer (top hits, exact count), plus the facet counts.
pub struct Ranked {
    query: BooleanQuery,
    /// How many articles match.
    pub total: usize,
    /// The hits to show.
    pub top: TopHits,
    pub agencies: FacetCounts,
    pub cities: FacetCounts,
    pub sections: FacetCounts,
    pub outlets: FacetCounts,
}

/// Ranks a request as given (no typo retry), reading no article.
pub fn rank(searcher: &Searcher, request: &Request) -> Result<Ranked> {
    rank_with(
        searcher,
        &Fields::new(&searcher.index().schema())?,
        request,
        false,
    )
}

fn rank_with(
    searcher: &Searcher,
    fields: &Fields,
    request: &Request,
    any_word: bool,
) -> Result<Ranked> {
    let query = build_query(fields, request, any_word)?;
    let counts = (
        Count,
        facet(schema::AGENCY),
        facet(schema::CITY),
        (facet(schema::SECTION), facet(schema::OUTLET)),
    );
    let ((total, agencies, cities, (sections, outlets)), top) =
        collect(searcher, &query, request, counts).map_err(|e| unrunnable(e, request))?;
    Ok(Ranked {
        query,
        total,
        top,
        agencies,
        cities,
        sections,
        outlets,
    })
}

/// The top hits and the exact count, and nothing else, as the reference engines of the
/// speed benchmarks do: no facets, no articles read.
pub fn count_and_top(
    searcher: &Searcher,
    request: &Request,
) -> Result<(usize, Vec<(Score, DocAddress)>)> {
    let fields = Fields::new(&searcher.index().schema())?;
    let query = build_query(&fields, request, false)?;
    collect(searcher, &query, request, Count).map_err(|e| unrunnable(e, request))
}

fn run_as_given(
    searcher: &Searcher,
    fields: &Fields,
    request: &Request,
    any_word: bool,
) -> Result<Hits> {
    let ranked = rank_with(searcher, fields, request, any_word)?;
    let mut snippets = SnippetGenerator::create(searcher, &ranked.query, fields.body)
        .map_err(|e| unrunnable(e, request))?;
    snippets.set_max_num_chars(SNIPPET_CHARS);
    let mut titles = SnippetGenerator::create(searcher, &ranked.query, fields.title)
        .map_err(|e| unrunnable(e, request))?;
    titles.set_max_num_chars(usize::MAX / 2);
    let hits = ranked
        .top
        .into_iter()
        .map(|(score, address)| {
            let doc: TantivyDocument = searcher.doc(address)?;
            let story = Story::from_document(&doc, fields)?;
            let mut hit = to_hit(&story, score, &snippets);
            hit.title_highlights = title_highlights(&titles, &hit.title);
            Ok(hit)
        })
        .collect::<Result<Vec<Hit>>>()?;
    Ok(Hits {
        query: request.query.clone(),
        total: ranked.total,
        hits,
        agencies: top_facets(&ranked.agencies, FACET_VALUES),
        cities: top_facets(&ranked.cities, FACET_VALUES),
        sections: top_facets(&ranked.sections, FACET_VALUES),
        outlets: top_facets(&ranked.outlets, FACET_VALUES),
        corrected: None,
        suggestions: Vec::new(),
        any_word,
        offset: request.offset,
        without_filters: Vec::new(),
    })
}

/// How many of a request's matches are in each language, most first. Languages are a
/// handful of terms of the `lang` field: one count each.
pub fn language_counts(searcher: &Searcher, request: &Request) -> Result<Vec<(String, u64)>> {
    let fields = Fields::new(&searcher.index().schema())?;
    let mut languages: Vec<String> = Vec::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(fields.lang)?;
        let mut terms = inverted.terms().stream()?;
        while terms.advance() {
            let language = String::from_utf8_lossy(terms.key()).into_owned();
            if !languages.contains(&language) {
                languages.push(language);
            }
        }
    }
    let mut counts = Vec::new();
    for language in languages {
        let one = Request {
            lang: Some(language.clone()),
            limit: 0,
            offset: 0,
            ..request.clone()
        };
        let total = rank(searcher, &one)?.total as u64;
        if total > 0 {
            counts.push((language, total));
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(counts)
}

/// A query the parser accepts but the schema cannot run (`title:[a TO z]`, `title:*`)
/// is the user's mistake, not a failure.
fn unrunnable(error: tantivy::TantivyError, request: &Request) -> anyhow::Error {
    match error {
        tantivy::TantivyError::SchemaError(why) => {
            usage_error(format!("bad query {:?}: {why}", request.query))
        }
        tantivy::TantivyError::FieldNotFound(field) => usage_error(format!(
            "bad query {:?}: there is no field {field:?}",
            request.query
        )),
        other => other.into(),
    }
}

/// The request's query, parsed; an empty or unparsable one is a usage error.
pub fn parse_request(request: &Request) -> Result<query::Expr> {
    let text = request.query.trim();
    if text.is_empty() {
        return Err(usage_error(
            "empty query; give words to search for, or '*' for every article",
        ));
    }
    query::parse(text).map_err(|e| usage_error(format!("bad query {text:?}: {e}")))
}

/// The usage error of a query with no words to search for.
pub fn no_words(request: &Request) -> anyhow::Error {
    usage_error(format!(
        "the query {:?} has no words to search for; give words, or '*' for every article",
        request.query.trim()
    ))
}

/// Snippets cut by the same rules for hits found elsewhere (a cluster): the terms of
/// the query as the local index would run it mark the words.
pub struct Snippets {
    body: SnippetGenerator,
    title: SnippetGenerator,
}

impl Snippets {
    /// The snippet makers of a parsed query.
    pub fn of(expr: &query::Expr, any_word: bool) -> Snippets {
        let schema = schema::schema();
        let fields = Fields::new(&schema).expect("dateline's own schema has its fields");
        let build = builder(&fields, any_word);
        let mut body_terms = std::collections::BTreeMap::new();
        let mut title_terms = std::collections::BTreeMap::new();
        if let Some(query) = query::to_query(expr, &build) {
            query.query_terms(&mut |term, _| {
                let value = term.value();
                let Some(text) = value.as_str() else {
                    return;
                };
                if term.field() == fields.body {
                    body_terms.insert(text.to_string(), 1.0);
                } else if term.field() == fields.title {
                    title_terms.insert(text.to_string(), 1.0);
                }
            });
        }
        let analyzer = || crate::analysis::dutch_analyzer(crate::analysis::Dutch::default());
        Snippets {
            body: SnippetGenerator::new(body_terms, analyzer(), fields.body, SNIPPET_CHARS),
            title: SnippetGenerator::new(title_terms, analyzer(), fields.title, usize::MAX / 2),
        }
    }

    /// The hit of a story, as local search makes it.
    pub fn hit(&self, story: &Story, score: Score) -> Hit {
        let mut hit = to_hit(story, score, &self.body);
        hit.title_highlights = title_highlights(&self.title, &hit.title);
        hit
    }
}

/// How a parsed query becomes a tantivy query on these fields.
fn builder(fields: &Fields, any_word: bool) -> query::Build {
    query::Build {
        title: fields.title,
        body: fields.body,
        dateline: fields.dateline,
        scoring: Scoring::current(),
        analysis: crate::analysis::Dutch::default(),
        any_word,
    }
}

/// The user's query AND each filter.
fn build_query(fields: &Fields, request: &Request, any_word: bool) -> Result<BooleanQuery> {
    let expr = parse_request(request)?;
    let build = builder(fields, any_word);
    let user_query = query::to_query(&expr, &build).ok_or_else(|| no_words(request))?;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, user_query)];
    for (field, keys) in filter_keys(fields, request) {
        if !keys.is_empty() {
            clauses.push((Occur::Must, any_of(field, &keys)));
        }
    }
    if request.since.is_some() || request.until.is_some() {
        let bound = |t: Option<OffsetDateTime>| match t {
            None => Bound::Unbounded,
            Some(t) => Bound::Included(Term::from_field_date(
                fields.published,
                tantivy::DateTime::from_timestamp_secs(t.unix_timestamp()),
            )),
        };
        let range = RangeQuery::new(bound(request.since), bound(request.until));
        clauses.push((Occur::Must, Box::new(range)));
    }
    if let Some(generation) = request.new_after {
        let range = RangeQuery::new(
            Bound::Excluded(Term::from_field_u64(fields.generation, generation)),
            Bound::Unbounded,
        );
        clauses.push((Occur::Must, Box::new(range)));
    }
    Ok(BooleanQuery::new(clauses))
}

/// Each filter's key field and the keys its values stand for: any name of an agency or
/// a city (`Reuters` is `RTR`), folded.
fn filter_keys(fields: &Fields, request: &Request) -> [(tantivy::schema::Field, Vec<String>); 5] {
    filter_key_values(request).map(|(name, keys)| {
        let field = match name {
            schema::AGENCY_KEY => fields.agency_key,
            schema::CITY_KEY => fields.city_key,
            schema::SECTION_KEY => fields.section_key,
            schema::OUTLET_KEY => fields.outlet_key,
            _ => fields.lang,
        };
        (field, keys)
    })
}

/// Each filter's key field by name, and the keys its values stand for (for any store:
/// a cluster keeps the same keys under the same names).
pub fn filter_key_values(request: &Request) -> [(&'static str, Vec<String>); 5] {
    let each = |values: &[String], keys: fn(&str) -> Vec<String>| -> Vec<String> {
        values.iter().flat_map(|v| keys(v)).collect()
    };
    [
        (
            schema::AGENCY_KEY,
            each(&request.agencies, aliases::agency_keys),
        ),
        (schema::CITY_KEY, each(&request.cities, aliases::city_keys)),
        (
            schema::SECTION_KEY,
            each(request.section.as_slice(), |v| vec![fold_key(v)]),
        ),
        (
            schema::OUTLET_KEY,
            each(&request.outlets, |v| vec![aliases::outlet_key(v)]),
        ),
        (
            schema::LANG,
            each(request.lang.as_slice(), |v| vec![fold_key(v)]),
        ),
    ]
}

/// A query matching any of the keys of a filter key field.
fn any_of(field: tantivy::schema::Field, keys: &[String]) -> Box<dyn Query> {
    let terms: Vec<(Occur, Box<dyn Query>)> = keys
        .iter()
        .map(|key| {
            let term = Term::from_field_text(field, key);
            let query: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
            (Occur::Should, query)
        })
        .collect();
    Box::new(BooleanQuery::new(terms))
}

/// Runs `counts` and the page of top hits the request asks for, in one pass over the
/// matches. Equal sort keys are broken by story id, never by where a document happens to
/// sit in the index, so output is the same on every run.
fn collect<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    request: &Request,
    counts: C,
) -> tantivy::Result<(C::Fruit, TopHits)> {
    let sort = effective_sort(request);
    // The collector allocates for offset + limit: never more than there are articles.
    let articles = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let wanted = request.limit.min(articles.saturating_sub(request.offset));
    if wanted == 0 {
        return Ok((searcher.search(query, &counts)?, Vec::new()));
    }
    let page = TopDocs::with_limit(wanted).and_offset(request.offset);
    let by_id = (
        SortByStaticFastValue::<u64>::for_field(schema::ID),
        Order::Asc,
    );
    let by_score = (SortBySimilarityScore, Order::Desc);
    Ok(match sort {
        Sort::Relevance => {
            let (fruit, top) =
                searcher.search(query, &(counts, page.order_by((by_score, by_id))))?;
            let top = top
                .into_iter()
                .map(|((score, _), address)| (score, address))
                .collect();
            (fruit, top)
        }
        Sort::Date | Sort::Oldest => {
            let order = if sort == Sort::Date {
                Order::Desc
            } else {
                Order::Asc
            };
            let by_date = (
                SortByStaticFastValue::<tantivy::DateTime>::for_field(schema::PUBLISHED),
                order,
            );
            let (fruit, top) =
                searcher.search(query, &(counts, page.order_by((by_date, by_score, by_id))))?;
            let top = top
                .into_iter()
                .map(|((_, score, _), address)| (score, address))
                .collect();
            (fruit, top)
        }
    })
}

/// The order hits come in: as asked, but every article (`*`), which has no ranking,
/// newest first.
pub fn effective_sort(request: &Request) -> Sort {
    match request.sort {
        Sort::Relevance if matches!(query::parse(&request.query), Ok(query::Expr::All)) => {
            Sort::Date
        }
        sort => sort,
    }
}

fn to_hit(story: &Story, score: Score, snippets: &SnippetGenerator) -> Hit {
    let snippet = snippets.snippet(&story.body);
    let snippet = if snippet.is_empty() {
        Snippet {
            text: opening(&story.body, SNIPPET_CHARS),
            highlights: Vec::new(),
        }
    } else {
        // Mark where the passage cuts the text, so that it does not read as a whole.
        let range = snippet.fragment_range();
        let lead = if range.start > 0 { "… " } else { "" };
        let tail = if range.end < story.body.len() {
            " …"
        } else {
            ""
        };
        Snippet {
            text: format!("{lead}{}{tail}", snippet.fragment()),
            highlights: merged(
                snippet
                    .highlighted()
                    .iter()
                    .map(|h| h.start + lead.len()..h.end + lead.len()),
            ),
        }
    };
    hit_of(story, score, snippet)
}

/// Where a title matched: the whole title is the passage, so the ranges are the
/// passage's moved to where it starts.
fn title_highlights(titles: &SnippetGenerator, title: &str) -> Vec<Range<usize>> {
    let snippet = titles.snippet(title);
    let start = snippet.fragment_range().start;
    merged(
        snippet
            .highlighted()
            .iter()
            .map(|h| h.start + start..h.end + start)
            .filter(|h| title.is_char_boundary(h.start) && title.get(h.clone()).is_some()),
    )
}

/// A hit for a story, with the given snippet.
fn hit_of(story: &Story, score: Score, snippet: Snippet) -> Hit {
    let shown = story.shown().cloned();
    Hit {
        id: story.id,
        score,
        kind: shown.as_ref().map_or(Kind::Lead, |a| a.kind),
        title: shown.as_ref().map(|a| a.title.clone()).unwrap_or_default(),
        title_highlights: Vec::new(),
        city: shown.as_ref().and_then(|a| a.city.clone()),
        agencies: story.agencies().into_iter().map(str::to_string).collect(),
        section: story.section().map(str::to_string),
        lang: story.lang.clone(),
        published: story.published().and_then(crate::clock::from_unix),
        time_source: story.time_source(),
        outlet: story.outlet().map(str::to_string),
        url: story.urls().first().map(|url| url.to_string()),
        sources: story.sources().into_iter().map(str::to_string).collect(),
        snippet,
        indexed: story.indexed,
        headline: story.headline_key(),
    }
}

/// The opening of a text, cut at a word boundary (for hits that matched only the title).
fn opening(text: &str, max_chars: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max_chars {
        return text;
    }
    let cut: String = text.chars().take(max_chars).collect();
    match cut.rfind(' ') {
        Some(at) => cut[..at].to_string(),
        None => cut,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_html_escapes_and_marks() {
        let snippet = Snippet {
            text: "Kim & Poetin <zeggen>".into(),
            highlights: std::iter::once(0..3).collect(),
        };
        assert_eq!(snippet.to_html(), "<b>Kim</b> &amp; Poetin &lt;zeggen&gt;");
    }

    #[test]
    fn highlights_of_a_compound_and_its_parts_become_one() {
        let ranges = [10..20, 0..3, 10..20, 12..22, 30..35];
        assert_eq!(merged(ranges.into_iter()), [0..3, 10..22, 30..35]);
    }

    #[test]
    fn opening_cuts_at_a_word() {
        assert_eq!(opening("een twee drie", 9), "een twee");
        assert_eq!(opening("ëëëë ëëëë", 6), "ëëëë");
    }
}

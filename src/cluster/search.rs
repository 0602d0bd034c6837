//! Searching a cluster: dateline's parsed query spelled in the query DSL (never
//! `query_string`, which fails on pasted text), the filters as term filters on the same
//! folded keys, the facets as terms aggregations over all matches, and snippets cut
//! here by the local rules. What differs from the local index is said in README's
//! "More than one machine".

use super::client::Client;
use super::store::{self, source_filter, story_of};
use crate::analysis;
use crate::index::{FacetCounts, Stats, top_facets};
use crate::search::all::{self, Article};
use crate::search::query::{self, FormTerm, Target, TextField};
use crate::search::timeline::{self, Days, Period, Split, Timeline};
use crate::search::{self, FACET_VALUES, Hits, Request, Scoring, Snippets, Sort, spelling};
use anyhow::{Result, bail};
use serde_json::{Value, json};
use std::collections::HashMap;
use tantivy::query::Occur;

/// The query DSL as a [`Target`].
struct Dsl {
    written: f32,
}

fn field_name(field: TextField, marked: bool) -> String {
    let base = match field {
        TextField::Title => "title",
        TextField::Body => "body",
        TextField::Dateline => "dateline",
    };
    format!("{base}_{}", if marked { "forms" } else { "words" })
}

impl Target for Dsl {
    type Query = Value;

    fn all(&self, scored: bool) -> Value {
        if scored {
            json!({ "match_all": {} })
        } else {
            json!({ "constant_score": { "filter": { "match_all": {} }, "boost": 0.0 } })
        }
    }

    fn boolean(&self, clauses: Vec<(Occur, Value)>) -> Value {
        let (mut must, mut should, mut must_not) = (Vec::new(), Vec::new(), Vec::new());
        for (occur, query) in clauses {
            match occur {
                Occur::Must => must.push(query),
                Occur::Should => should.push(query),
                Occur::MustNot => must_not.push(query),
            }
        }
        json!({ "bool": { "must": must, "should": should, "must_not": must_not } })
    }

    fn boost(&self, query: Value, by: f32) -> Value {
        json!({ "bool": { "must": [query], "boost": by } })
    }

    /// Each form in each field scored on its own by the field's BM25, weighted as the
    /// local BM25F weighs it; the form as written gets its extra weight on top.
    fn word(&self, terms: Vec<FormTerm>, _idf_text: &str, _written_text: &str) -> Value {
        let should: Vec<Value> = terms
            .into_iter()
            .filter_map(|term| {
                let marked = term.text.starts_with([analysis::STEM, analysis::PART]);
                let boost = term.weight + term.written * self.written;
                (boost > 0.0).then(|| {
                    json!({ "term": { field_name(term.field, marked): {
                        "value": term.text, "boost": boost,
                    } } })
                })
            })
            .collect();
        json!({ "bool": { "should": should, "minimum_should_match": 1 } })
    }

    fn phrase(&self, fields: &[TextField], words: &[(usize, String)]) -> Value {
        let last = words.last().map_or(0, |(offset, _)| *offset);
        let slop = last + 1 - words.len();
        let should: Vec<Value> = fields
            .iter()
            .map(|&field| {
                let name = field_name(field, false);
                let clauses: Vec<Value> = words
                    .iter()
                    .map(|(_, text)| json!({ "span_term": { &name: text } }))
                    .collect();
                json!({ "span_near": { "clauses": clauses, "slop": slop, "in_order": true } })
            })
            .collect();
        json!({ "constant_score": {
            "filter": { "bool": { "should": should, "minimum_should_match": 1 } },
            "boost": 0.0,
        } })
    }
}

/// The query and filters of a request.
fn request_query(expr: &query::Expr, request: &Request, any_word: bool) -> Result<Value> {
    let scoring = Scoring::current();
    let options = query::Options {
        scoring,
        analysis: analysis::Dutch::default(),
        any_word,
    };
    let dsl = Dsl {
        written: scoring.written,
    };
    let user = query::to_target(expr, &dsl, &options).ok_or_else(|| search::no_words(request))?;
    let mut filters = Vec::new();
    for (field, keys) in search::filter_key_values(request) {
        if !keys.is_empty() {
            filters.push(json!({ "terms": { field: keys } }));
        }
    }
    if request.since.is_some() || request.until.is_some() {
        let mut range = serde_json::Map::new();
        if let Some(since) = request.since {
            range.insert("gte".into(), since.unix_timestamp().into());
        }
        if let Some(until) = request.until {
            range.insert("lte".into(), until.unix_timestamp().into());
        }
        filters.push(json!({ "range": { "published": range } }));
    }
    if let Some(generation) = request.new_after {
        filters.push(json!({ "range": { "generation": { "gt": generation } } }));
    }
    Ok(json!({ "bool": { "must": [user], "filter": filters } }))
}

/// The sort of a request; equal keys are broken by id, as locally.
fn sort(request: &Request) -> Value {
    let by_id = json!({ "id": "asc" });
    match search::effective_sort(request) {
        Sort::Relevance => json!([{ "_score": "desc" }, by_id]),
        Sort::Date => json!([
            { "published": { "order": "desc", "missing": "_last" } },
            { "_score": "desc" },
            by_id,
        ]),
        // An article without a time is the oldest, as locally.
        Sort::Oldest => json!([
            { "published": { "order": "asc", "missing": "_first" } },
            { "_score": "desc" },
            by_id,
        ]),
    }
}

fn facets(aggregations: &Value, name: &str) -> Vec<(String, u64)> {
    let mut counts = FacetCounts::new();
    for bucket in aggregations[name]["buckets"]
        .as_array()
        .into_iter()
        .flatten()
    {
        if let (Some(key), Some(count)) = (bucket["key"].as_str(), bucket["doc_count"].as_u64()) {
            counts.insert(key.to_string(), count);
        }
    }
    top_facets(&counts, FACET_VALUES)
}

/// Runs a request as given (no any-word retry).
fn run_as_given(
    client: &Client,
    expr: &query::Expr,
    request: &Request,
    any_word: bool,
) -> Result<Hits> {
    // Facet values are counted exactly: each shard returns all of its values.
    let terms = |field: &str| json!({ "terms": { "field": field, "size": 10_000 } });
    let body = json!({
        "query": request_query(expr, request, any_word)?,
        "from": request.offset,
        // A cluster answers at most its result window (10,000) at once.
        "size": request.limit.min(RESULT_WINDOW),
        "sort": sort(request),
        "track_scores": true,
        "track_total_hits": true,
        "_source": source_filter(),
        "aggs": {
            "agency": terms("agency"),
            "city": terms("city"),
            "section": terms("section"),
            "outlet": terms("outlet"),
        },
    });
    let reply = client.search(&body, &format!("searching {}", client.address()))?;
    let snippets = Snippets::of(expr, any_word);
    let mut hits = Vec::new();
    for hit in reply.body["hits"]["hits"].as_array().into_iter().flatten() {
        let story = story_of(&hit["_source"])?;
        let score = hit["_score"].as_f64().unwrap_or(0.0) as f32;
        hits.push(snippets.hit(&story, score));
    }
    let aggregations = &reply.body["aggregations"];
    Ok(Hits {
        query: request.query.clone(),
        total: reply.body["hits"]["total"]["value"].as_u64().unwrap_or(0) as usize,
        hits,
        agencies: facets(aggregations, "agency"),
        cities: facets(aggregations, "city"),
        sections: facets(aggregations, "section"),
        outlets: facets(aggregations, "outlet"),
        corrected: None,
        suggestions: Vec::new(),
        any_word,
        offset: request.offset,
        without_filters: Vec::new(),
    })
}

/// The most hits one search request may return (OpenSearch's `max_result_window`).
const RESULT_WINDOW: usize = 10_000;

/// Runs a request as given: no any-word retry (`follow`'s standing searches).
pub fn run_as_typed(client: &Client, request: &Request) -> Result<Hits> {
    run_as_given(client, &search::parse_request(request)?, request, false)
}

/// The newest commit whose stories the index holds (0 for none).
pub fn newest_generation(client: &Client) -> Result<u64> {
    let body = json!({ "size": 0, "aggs": { "newest": { "max": { "field": "generation" } } } });
    let reply = client.search(&body, &format!("reading {}", client.address()))?;
    Ok(reply.body["aggregations"]["newest"]["value"]
        .as_f64()
        .map_or(0, |v| v as u64))
}

/// The identity of the index: its uuid, which a rebuilt index does not keep.
pub fn identity(client: &Client) -> Result<u64> {
    let index = &client.address().index;
    let reply = client.send("GET", &format!("/{index}/_settings/index.uuid"), None)?;
    let uuid = reply
        .body
        .as_object()
        .and_then(|indexes| indexes.values().next())
        .and_then(|index| index["settings"]["index"]["uuid"].as_str())
        .map(str::to_string);
    match uuid {
        Some(uuid) if reply.ok() => Ok(xxhash_rust::xxh3::xxh3_64(uuid.as_bytes())),
        _ => bail!("reading {}: {}", client.address(), reply.reason()),
    }
}

/// The hits of a request, with the typo and any-word retries local search makes.
fn answer(client: &Client, request: &Request) -> Result<Hits> {
    let words = Words::of(client, &request.query)?;
    search::answer_with(request, &words, &mut |asked, any_word| {
        run_as_given(client, &search::parse_request(asked)?, asked, any_word)
    })
}

/// Runs a search on the cluster, as `search::run` does on the local index.
pub fn run(client: &Client, request: &Request) -> Result<Hits> {
    let mut hits = answer(client, request)?;
    if hits.total == 0 {
        hits.without_filters = search::without_each_filter_by(request, &mut |without| {
            Ok(answer(client, without)?.total)
        })?;
    }
    Ok(hits)
}

/// What search answers for a request, counted (no hit read), and the request that
/// answer is for: `export` and `timeline` count what `search` counts.
fn as_answered(client: &Client, request: &Request) -> Result<(Hits, query::Expr)> {
    let counted = Request {
        limit: 0,
        offset: 0,
        ..request.clone()
    };
    let answered = run(client, &counted)?;
    // The query search answered: its correction, where it made one.
    let query = answered.corrected.as_deref().unwrap_or(&request.query);
    let expr = search::parse_request(&Request {
        query: query.to_string(),
        ..Request::new("")
    })?;
    Ok((answered, expr))
}

/// The articles with these ids (or unique prefixes of them), in the order given.
pub fn find_stories(client: &Client, ids: &[String]) -> Result<Vec<Article>> {
    ids.iter()
        .map(|id| {
            let (low, high) = all::id_bounds(id)?;
            let body = json!({
                "size": 4,
                "query": { "range": { "id": {
                    "gte": store::story_key(low), "lte": store::story_key(high),
                } } },
                "_source": source_filter(),
            });
            let reply =
                client.search(&body, &format!("reading articles at {}", client.address()))?;
            let stories = reply.body["hits"]["hits"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|hit| story_of(&hit["_source"]))
                .collect::<Result<Vec<_>>>()?;
            all::the_one(id, stories)
        })
        .collect()
}

/// Calls `each` with every article search answers for `request`, in search's order, and
/// returns how many there were: pages of a point in time, each after the last one's
/// sort keys, so every match comes out once even while an index run writes.
pub fn each_match(
    client: &Client,
    request: &Request,
    mut each: impl FnMut(Article) -> Result<()>,
) -> Result<usize> {
    let (answered, expr) = as_answered(client, request)?;
    let query = request_query(&expr, request, answered.any_word)?;
    let index = &client.address().index;
    let opened = client.send(
        "POST",
        &format!("/{index}/_search/point_in_time?keep_alive=2m"),
        None,
    )?;
    let Some(pit) = opened.body["pit_id"].as_str().map(str::to_string) else {
        bail!(
            "opening a point in time on {}: {}",
            client.address(),
            opened.reason()
        );
    };
    let mut after: Option<Value> = None;
    let mut total = 0;
    let outcome = loop {
        let mut body = json!({
            "size": EXPORT_PAGE,
            "query": query,
            "sort": sort(request),
            "track_scores": true,
            "track_total_hits": false,
            "_source": source_filter(),
            "pit": { "id": pit, "keep_alive": "2m" },
        });
        if let Some(after) = &after {
            body["search_after"] = after.clone();
        }
        let reply = client.send("POST", "/_search", Some(&body))?;
        if !reply.ok() {
            break Err(anyhow::anyhow!(
                "exporting from {}: {}",
                client.address(),
                reply.reason()
            ));
        }
        let hits = reply.body["hits"]["hits"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for hit in &hits {
            let score = hit["_score"].as_f64().unwrap_or(0.0) as f32;
            each(Article::new(story_of(&hit["_source"])?, score))?;
            total += 1;
        }
        match hits.last() {
            Some(last) if hits.len() == EXPORT_PAGE => after = Some(last["sort"].clone()),
            _ => break Ok(total),
        }
    };
    // A point in time left open ends by itself after its keep-alive.
    let _ = client.send(
        "DELETE",
        "/_search/point_in_time",
        Some(&json!({ "pit_id": [pit] })),
    );
    outcome
}

/// Articles per page of an export.
const EXPORT_PAGE: usize = 1000;

/// Counts the matches of `request` per period, as `search::timeline::timeline` does:
/// per Amsterdam day on the cluster (a date histogram in Amsterdam time), rolled up here.
pub fn timeline(
    client: &Client,
    request: &Request,
    by: Option<Period>,
    split: Option<Split>,
) -> Result<Timeline> {
    let (answered, expr) = as_answered(client, request)?;
    let mut days_aggregation = json!({
        "date_histogram": {
            "field": "published",
            "calendar_interval": "day",
            "time_zone": "Europe/Amsterdam",
            "min_doc_count": 1,
        },
    });
    if let Some(split) = split {
        days_aggregation["aggs"] = json!({
            "values": { "terms": { "field": split.field(), "size": 10_000 } },
        });
    }
    let body = json!({
        "size": 0,
        "query": request_query(&expr, request, answered.any_word)?,
        "aggs": {
            "days": days_aggregation,
            "undated": { "missing": { "field": "published" } },
        },
    });
    let doing = format!("counting matches per day at {}", client.address());
    let reply = client.search(&body, &doing)?;
    let aggregations = &reply.body["aggregations"];
    let mut days = Days {
        undated: aggregations["undated"]["doc_count"].as_u64().unwrap_or(0),
        ..Days::default()
    };
    for bucket in aggregations["days"]["buckets"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let Some(start) = bucket["key"]
            .as_i64()
            .and_then(|ms| crate::clock::from_unix(ms.div_euclid(1000)))
        else {
            continue;
        };
        // The bucket starts at the day's Amsterdam midnight: its date is that day.
        let day = crate::clock::amsterdam_date(start);
        days.counts
            .insert(day, bucket["doc_count"].as_u64().unwrap_or(0));
        let values = bucket["values"]["buckets"].as_array().into_iter().flatten();
        let per_value: HashMap<String, u64> = values
            .filter_map(|v| Some((v["key"].as_str()?.to_string(), v["doc_count"].as_u64()?)))
            .collect();
        if !per_value.is_empty() {
            days.split.insert(day, per_value);
        }
    }
    Ok(timeline::assemble(request, answered, days, by, split))
}

/// What the cluster index holds, as `stats` shows it for a local index.
pub fn stats(client: &Client) -> Result<Stats> {
    const TOP: usize = 10;
    let terms = |field: &str| json!({ "terms": { "field": field, "size": 10_000 } });
    let body = json!({
        "size": 0,
        "track_total_hits": true,
        "aggs": {
            "agency": terms("agency"),
            "city": terms("city"),
            "section": terms("section"),
            "outlet": terms("outlet"),
            "time_source": terms("time_source"),
            "several": { "filter": { "range": { "source_count": { "gt": 1 } } } },
        },
    });
    let address = client.address();
    let reply = client.search(&body, &format!("counting what {address} holds"))?;
    let aggregations = &reply.body["aggregations"];
    let top = |name: &str| {
        let mut counts = facets(aggregations, name);
        counts.truncate(TOP);
        counts
    };
    let pages = client.send(
        "POST",
        &format!("/{}/_count", address.pages_index()),
        Some(&json!({ "query": { "exists": { "field": "page" } } })),
    )?;
    let sizes = client.send(
        "GET",
        &format!("/{},{}/_stats/store", address.index, address.pages_index()),
        None,
    )?;
    Ok(Stats {
        articles: reply.body["hits"]["total"]["value"].as_u64().unwrap_or(0),
        pages: pages.body["count"].as_u64().unwrap_or(0),
        stories_on_several_pages: aggregations["several"]["doc_count"].as_u64().unwrap_or(0),
        top_agencies: top("agency"),
        top_cities: top("city"),
        top_sections: top("section"),
        top_outlets: top("outlet"),
        time_sources: top("time_source"),
        index_bytes: sizes.body["_all"]["total"]["store"]["size_in_bytes"]
            .as_u64()
            .unwrap_or(0),
    })
}

/// How many of a request's matches (as given) are in each language, most first.
pub fn language_counts(client: &Client, request: &Request) -> Result<Vec<(String, u64)>> {
    let expr = search::parse_request(request)?;
    let body = json!({
        "size": 0,
        "query": request_query(&expr, request, false)?,
        "aggs": { "lang": { "terms": { "field": "lang", "size": 1000 } } },
    });
    let reply = client.search(
        &body,
        &format!("counting languages at {}", client.address()),
    )?;
    let mut counts = facets(&reply.body["aggregations"], "lang");
    counts.retain(|(_, n)| *n > 0);
    Ok(counts)
}

/// The cluster's words, for typo correction: document counts from term filters on the
/// words as written, near words from the term suggester (with its document counts).
struct Words<'a> {
    client: &'a Client,
    /// Articles per word, fetched for all of a query's words in one request.
    known: std::cell::RefCell<HashMap<String, [u64; 2]>>,
}

impl<'a> Words<'a> {
    /// The words of `query` that correction looks up, fetched at once.
    fn of(client: &'a Client, query: &str) -> Result<Words<'a>> {
        let words = Words {
            client,
            known: Default::default(),
        };
        let wanted = spelling::looked_up(query);
        if !wanted.is_empty() {
            let counts = words.count(&wanted)?;
            words
                .known
                .borrow_mut()
                .extend(wanted.into_iter().zip(counts));
        }
        Ok(words)
    }

    /// Articles with each word in the title and in the body, in one request.
    fn count(&self, words: &[String]) -> Result<Vec<[u64; 2]>> {
        let mut aggregations = serde_json::Map::new();
        for (n, word) in words.iter().enumerate() {
            aggregations.insert(
                format!("t{n}"),
                json!({ "filter": { "term": { "title_words": word } } }),
            );
            aggregations.insert(
                format!("b{n}"),
                json!({ "filter": { "term": { "body_words": word } } }),
            );
        }
        let body = json!({ "size": 0, "track_total_hits": false, "aggs": aggregations });
        let answer = self.search(&body)?;
        let count = |name: String| {
            answer["aggregations"][name]["doc_count"]
                .as_u64()
                .unwrap_or(0)
        };
        Ok((0..words.len())
            .map(|n| [count(format!("t{n}")), count(format!("b{n}"))])
            .collect())
    }

    fn search(&self, body: &Value) -> Result<Value> {
        let doing = format!("looking up words at {}", self.client.address());
        Ok(self.client.search(body, &doing)?.body)
    }
}

impl spelling::Lexicon for Words<'_> {
    fn articles(&self, word: &str) -> Result<[u64; 2]> {
        if let Some(&known) = self.known.borrow().get(word) {
            return Ok(known);
        }
        let counts = self.count(&[word.to_string()])?[0];
        self.known.borrow_mut().insert(word.to_string(), counts);
        Ok(counts)
    }

    fn articles_of(&self, words: &[String]) -> Result<Vec<[u64; 2]>> {
        if words.is_empty() {
            return Ok(Vec::new());
        }
        self.count(words)
    }

    fn near(&self, wanted: &str, edits: usize) -> Result<Vec<(String, [u64; 2])>> {
        let suggester = |field: &str| {
            json!({ "text": wanted, "term": {
                "field": field,
                "suggest_mode": "always",
                "max_edits": edits.clamp(1, 2),
                "prefix_length": 0,
                "min_word_length": 1,
                "size": 50,
                "string_distance": "damerau_levenshtein",
            } })
        };
        let body = json!({
            "size": 0,
            "suggest": { "title": suggester("title_words"), "body": suggester("body_words") },
        });
        let answer = self.search(&body)?;
        let mut found = Vec::new();
        for (slot, name) in ["title", "body"].into_iter().enumerate() {
            let options = answer["suggest"][name]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|entry| entry["options"].as_array().cloned().unwrap_or_default());
            for option in options {
                if let (Some(text), Some(freq)) = (option["text"].as_str(), option["freq"].as_u64())
                {
                    let mut articles = [0; 2];
                    articles[slot] = freq;
                    found.push((text.to_string(), articles));
                }
            }
        }
        Ok(found)
    }

    fn as_written(&self, word: &str) -> Result<Option<String>> {
        let body = json!({
            "size": spelling::WRITTEN_IN,
            "query": { "bool": { "should": [
                { "term": { "body_words": word } },
                { "term": { "title_words": word } },
            ] } },
            "_source": ["body", "appearances"],
        });
        let answer = self.search(&body)?;
        for hit in answer["hits"]["hits"].as_array().into_iter().flatten() {
            let story = story_of_parts(&hit["_source"]);
            for text in story {
                if let Some(written) = spelling::written_in(&text, word) {
                    return Ok(Some(written));
                }
            }
        }
        Ok(None)
    }
}

/// The body and the titles of a stored story, where a word may be written.
fn story_of_parts(source: &Value) -> Vec<String> {
    let mut texts = vec![source["body"].as_str().unwrap_or_default().to_string()];
    for appearance in source["appearances"].as_array().into_iter().flatten() {
        if let Some(title) = appearance["title"].as_str() {
            texts.push(title.to_string());
        }
    }
    texts
}

//! Search quality on real Dutch news: how well dateline's analysis finds what people mean.
//!
//! ```sh
//! cargo run --release --example quality [-- --sample 1000 --seed 7]
//! ```
//!
//! Documents: the full-text leestmeer items (nos.nl and telegraaf.nl, `../shared/corpus`)
//! whose body, as dateline's extractor reads the saved page, is over 500 characters; items
//! whose title is not unique are left out, so every query has one right answer.
//!
//! - Known-item search: for a fixed random sample of the documents, the query is the
//!   document's title (any word may match, BM25), searched against bodies only. MRR@10 and
//!   recall@10 for three analyses: no stemming, Dutch stemming, Dutch stemming + compound
//!   splitting (dateline's; queries are analysed as the documents are).
//! - Compound recall: pairs of a compound in a sampled body and one of its parts that the
//!   body never has on its own (`woningmarkt` / `markt`); the part as the query must match
//!   the document.

#[path = "leestmeer/convert.rs"]
mod convert;

use anyhow::{Context, Result};
use dateline::analysis::{Dutch, compound, dutch_analyzer, terms};
use dateline::search::{Scoring, query};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::path::Path;
use std::time::Instant;
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::Query;
use tantivy::schema::{FAST, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::{DocAddress, Index, IndexReader, Searcher, doc};

const CORPUS: &str = "../shared/corpus/leestmeer/leestmeer-2012-2019-07.jsonl.gz";
const SOURCES: [&str; 3] = ["nos.nl", "feeds.nos.nl", "www.telegraaf.nl"];
const MIN_BODY_CHARS: usize = 500;
const TOP: usize = 10;
const COMPOUND_PAIRS: usize = 200;

const CONFIGS: [(&str, Dutch); 3] = [
    (
        "no stemming",
        Dutch {
            stem: false,
            compounds: false,
        },
    ),
    (
        "Dutch stemming",
        Dutch {
            stem: true,
            compounds: false,
        },
    ),
    (
        "Dutch stemming + compounds (dateline)",
        Dutch {
            stem: true,
            compounds: true,
        },
    ),
];

struct Document {
    title: String,
    body: String,
}

fn main() -> Result<()> {
    let mut sample = 1000usize;
    let mut seed = 7u64;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().context("every flag takes a value")?;
        match arg.as_str() {
            "--sample" => sample = value.parse()?,
            "--seed" => seed = value.parse()?,
            _ => anyhow::bail!("usage: quality [--sample N] [--seed S]"),
        }
    }
    let started = Instant::now();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join(CORPUS);
    let documents = read_documents(&corpus)?;
    let queries = sample_indices(documents.len(), sample, seed);
    let pairs = compound_pairs(&documents, &queries);
    println!(
        "{} documents (bodies over {MIN_BODY_CHARS} characters, unique titles), {} title queries (seed {seed}), {} compound pairs, lexicon of {} words; read in {:.1} s",
        documents.len(),
        queries.len(),
        pairs.len(),
        compound::lexicon_words(),
        started.elapsed().as_secs_f64()
    );
    println!();
    println!("| analysis | MRR@{TOP} | recall@{TOP} | compound pairs found |");
    println!("|---|---|---|---|");
    let questions: Vec<(usize, String)> = queries
        .iter()
        .map(|&doc| (doc, any_word_query(&documents[doc].title)))
        .collect();
    let mut grid = None;
    for (name, dutch) in CONFIGS {
        let (reader, body, number) = build(&documents, dutch)?;
        let searcher = reader.searcher();
        let scoring = Scoring::default();
        let (mrr, recall) = known_item(&searcher, number, &questions, |text| {
            top_hits(&searcher, body, dutch, scoring, text)
        })?;
        let mut pairs_found = 0;
        for (doc, _, part) in &pairs {
            let Some(query) = to_query(body, dutch, scoring, &format!("body:{part}")) else {
                continue;
            };
            let matches = searcher.search(&query, &DocSetCollector)?;
            if matches
                .iter()
                .any(|address| doc_number(&searcher, number, *address) == Some(*doc as u64))
            {
                pairs_found += 1;
            }
        }
        println!(
            "| {name} | {mrr:.3} | {recall:.3} | {pairs_found} of {} |",
            pairs.len()
        );
        if dutch == Dutch::default() {
            grid = Some((reader, body, number));
        }
    }
    if let Some((reader, body, number)) = grid {
        bm25_grid(&reader.searcher(), body, number, &questions)?;
    }
    println!();
    let examples: Vec<String> = pairs
        .iter()
        .take(12)
        .map(|(_, compound, part)| format!("{compound}/{part}"))
        .collect();
    println!("compound pairs, the first 12: {}", examples.join(", "));
    println!("took {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// MRR@10 and recall@10 of `search` (the top hits for a query text) over the
/// questions: (document that is the right answer, the query made of its title).
fn known_item(
    searcher: &Searcher,
    number: Field,
    questions: &[(usize, String)],
    search: impl Fn(&str) -> Result<Vec<DocAddress>>,
) -> Result<(f64, f64)> {
    let (mut reciprocal_ranks, mut found) = (0.0, 0usize);
    for (doc, text) in questions {
        let top = search(text)?;
        let rank = top
            .iter()
            .take(TOP)
            .position(|address| doc_number(searcher, number, *address) == Some(*doc as u64));
        if let Some(rank) = rank {
            reciprocal_ranks += 1.0 / (rank + 1) as f64;
            found += 1;
        }
    }
    let n = questions.len().max(1) as f64;
    Ok((reciprocal_ranks / n, found as f64 / n))
}

/// A title as the known-item protocol asks it: any of its words, in the body.
fn any_word_query(title: &str) -> String {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| format!("body:{word}"))
        .collect::<Vec<_>>()
        .join(" OR ")
}

/// dateline's query for a text, on this harness's index of bodies.
fn to_query(body: Field, dutch: Dutch, scoring: Scoring, text: &str) -> Option<Box<dyn Query>> {
    let expr = query::parse(text).ok()?;
    let build = query::Build {
        title: body,
        body,
        dateline: body,
        scoring,
        analysis: dutch,
        any_word: false,
    };
    query::to_query(&expr, &build)
}

fn top_hits(
    searcher: &Searcher,
    body: Field,
    dutch: Dutch,
    scoring: Scoring,
    text: &str,
) -> Result<Vec<DocAddress>> {
    let Some(query) = to_query(body, dutch, scoring, text) else {
        return Ok(Vec::new());
    };
    let top = TopDocs::with_limit(TOP).order_by_score();
    let ranked = searcher.search(&query, &top)?;
    Ok(ranked.into_iter().map(|(_, address)| address).collect())
}

/// The same questions over a grid of BM25's k1 and the body's b (dateline's scoring,
/// `search::score`, with the other constants at their defaults).
fn bm25_grid(
    searcher: &Searcher,
    body: Field,
    number: Field,
    questions: &[(usize, String)],
) -> Result<()> {
    println!();
    println!("BM25F k1 and b, dateline's analysis (MRR@{TOP} / recall@{TOP}):");
    println!();
    println!("| k1 \\ b | 0.1 | 0.2 | 0.3 | 0.5 | 0.75 |");
    println!("|---|---|---|---|---|---|");
    for k1 in [0.6f32, 0.9, 1.2, 1.6, 2.0] {
        let mut row = format!("| {k1} |");
        for b in [0.1f32, 0.2, 0.3, 0.5, 0.75] {
            let scoring = Scoring {
                k1,
                b_body: b,
                ..Scoring::default()
            };
            let (mrr, recall) = known_item(searcher, number, questions, |text| {
                top_hits(searcher, body, Dutch::default(), scoring, text)
            })?;
            row.push_str(&format!(" {mrr:.3} / {recall:.3} |"));
        }
        println!("{row}");
    }
    Ok(())
}

/// The nos.nl and telegraaf.nl items, read by dateline's extractor from the pages
/// `leestmeer_pages` would write; the body of each page's first article.
fn read_documents(corpus: &Path) -> Result<Vec<Document>> {
    let reader = convert::open(corpus).with_context(|| format!("reading {}", corpus.display()))?;
    let mut items = Vec::new();
    for line in reader.lines() {
        let item: convert::Item = serde_json::from_str(&line?)?;
        let wanted = item
            .source_domain
            .as_deref()
            .is_some_and(|domain| SOURCES.contains(&domain));
        if wanted && item.title.as_deref().is_some_and(|t| !t.trim().is_empty()) {
            items.push(item);
        }
    }
    let documents: Vec<Document> = items
        .par_iter()
        .filter_map(|item| {
            let page = dateline::extract::Page {
                path: convert::relative_path(item).into(),
                bytes: convert::page(item).into_bytes(),
                modified: None,
            };
            let body = dateline::extract::articles(&page)
                .ok()?
                .into_iter()
                .next()?
                .body;
            (body.chars().count() > MIN_BODY_CHARS).then(|| Document {
                title: item.title.clone().unwrap_or_default(),
                body,
            })
        })
        .collect();
    let mut titles: HashMap<&str, usize> = HashMap::new();
    for document in &documents {
        *titles.entry(document.title.trim()).or_default() += 1;
    }
    let unique: HashSet<String> = titles
        .into_iter()
        .filter(|&(_, n)| n == 1)
        .map(|(title, _)| title.to_string())
        .collect();
    Ok(documents
        .into_iter()
        .filter(|d| unique.contains(d.title.trim()))
        .collect())
}

/// `count` distinct document numbers below `len`, drawn with a seeded generator.
fn sample_indices(len: usize, count: usize, seed: u64) -> Vec<usize> {
    let mut state = seed;
    let mut next = move || {
        // splitmix64
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut indices: Vec<usize> = (0..len).collect();
    for i in (1..len).rev() {
        indices.swap(i, (next() % (i as u64 + 1)) as usize);
    }
    indices.truncate(count.min(len));
    indices
}

/// For each sampled document in turn, its first compound with a part the body never
/// has as a word of its own: (document, compound, part), at most one per compound.
fn compound_pairs(documents: &[Document], sample: &[usize]) -> Vec<(usize, String, String)> {
    let mut words = dutch_analyzer(Dutch {
        stem: false,
        compounds: false,
    });
    let mut stems = dutch_analyzer(Dutch {
        stem: true,
        compounds: false,
    });
    let mut seen = HashSet::new();
    let mut pairs = Vec::new();
    for &doc in sample {
        let body_words = terms(&mut words, &documents[doc].body);
        let body_stems: HashSet<String> = terms(&mut stems, &documents[doc].body)
            .into_iter()
            .collect();
        let pair = body_words.iter().find_map(|word| {
            let part = compound::split(word).into_iter().last()?;
            let part_stems = terms(&mut stems, part);
            let alone = part_stems.iter().any(|s| body_stems.contains(s));
            (!alone && !seen.contains(word)).then(|| (word.clone(), part.to_string()))
        });
        if let Some((word, part)) = pair {
            seen.insert(word.clone());
            pairs.push((doc, word, part));
            if pairs.len() == COMPOUND_PAIRS {
                break;
            }
        }
    }
    pairs
}

/// An index in RAM of the bodies alone, analysed as `dutch` says.
fn build(documents: &[Document], dutch: Dutch) -> Result<(IndexReader, Field, Field)> {
    let mut builder = Schema::builder();
    let indexing = TextFieldIndexing::default()
        .set_tokenizer("body")
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let body = builder.add_text_field(
        "body",
        TextOptions::default().set_indexing_options(indexing),
    );
    let number = builder.add_u64_field("number", FAST);
    let index = Index::create_in_ram(builder.build());
    index.tokenizers().register("body", dutch_analyzer(dutch));
    // One thread, one segment, documents in order: ties rank the same every run.
    let mut writer = index.writer_with_num_threads::<tantivy::TantivyDocument>(1, 500_000_000)?;
    for (n, document) in documents.iter().enumerate() {
        writer.add_document(doc!(body => document.body.as_str(), number => n as u64))?;
    }
    writer.commit()?;
    let reader = index.reader()?;
    Ok((reader, body, number))
}

fn doc_number(
    searcher: &tantivy::Searcher,
    number: Field,
    address: tantivy::DocAddress,
) -> Option<u64> {
    let name = searcher.schema().get_field_name(number);
    searcher
        .segment_reader(address.segment_ord)
        .fast_fields()
        .u64(name)
        .ok()?
        .first(address.doc_id)
}

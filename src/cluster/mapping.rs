//! The indexes dateline creates on a cluster.
//!
//! The cluster matches the same words as the local index because it is sent dateline's
//! own terms, not text: OpenSearch's Dutch chain has no compound splitting and no
//! remembering stemmer, so its own analysis would find other articles. Each text field
//! is two fields split on whitespace: `*_words`, the words as written at their
//! positions (phrases), and `*_forms`, the marked stems and compound parts. BM25's k1
//! and b are the local index's, per field.

use super::store::Layout;
use crate::search::Scoring;
use serde_json::{Value, json};

/// What `_meta` carries to mark an index as dateline's, and in which format.
pub fn marker() -> Value {
    json!({
        "format": crate::index::FORMAT_VERSION,
        "lexicon": crate::analysis::compound::lexicon_fingerprint().to_string(),
    })
}

/// The articles' index.
pub fn articles(layout: Layout) -> Value {
    let scoring = Scoring::default();
    let bm25 = |b: f32| json!({ "type": "BM25", "k1": scoring.k1, "b": b });
    let terms = |similarity: &str| json!({ "type": "text", "analyzer": "whitespace", "similarity": similarity });
    let keyword = json!({ "type": "keyword" });
    let seconds = json!({ "type": "date", "format": "epoch_second" });
    json!({
        "settings": {
            "number_of_shards": layout.shards,
            "number_of_replicas": layout.replicas,
            "similarity": {
                "dateline_title": bm25(scoring.b_title),
                "dateline_body": bm25(scoring.b_body),
                "dateline_dateline": bm25(0.0),
            },
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": { "dateline": marker() },
            "properties": {
                "id": keyword,
                "title_words": terms("dateline_title"),
                "title_forms": terms("dateline_title"),
                "body_words": terms("dateline_body"),
                "body_forms": terms("dateline_body"),
                "dateline_words": terms("dateline_dateline"),
                "dateline_forms": terms("dateline_dateline"),
                "body": { "type": "text", "index": false },
                "lang": keyword,
                "kind": keyword,
                "city": keyword,
                "city_key": keyword,
                "agency": keyword,
                "agency_key": keyword,
                "section": keyword,
                "section_key": keyword,
                "outlet": keyword,
                "outlet_key": keyword,
                "time_source": keyword,
                "published": seconds,
                "appearances": { "type": "object", "enabled": false },
                "source_count": { "type": "long" },
                "generation": { "type": "long" },
                "first_indexed": seconds,
                "headline": keyword,
                "headline_generation": { "type": "long" },
            },
        },
    })
}

/// The manifest's index: one document per page, and one with the commit number.
pub fn pages(layout: Layout) -> Value {
    json!({
        "settings": {
            "number_of_shards": layout.shards,
            "number_of_replicas": layout.replicas,
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": { "dateline": marker() },
            "properties": {
                "page": { "type": "keyword" },
                "size": { "type": "long" },
                "modified_ns": { "type": "long" },
                "hash": { "type": "keyword", "index": false },
                "stories": { "type": "keyword", "index": false },
                "generation": { "type": "long" },
            },
        },
    })
}

//! The cluster as an indexing run's [`Store`]: stories go to the articles' index with
//! the bulk API, the manifest to a second index (one document per page), so that any
//! machine can continue a run. The cluster has no commit of two indexes at once, so a
//! commit writes the stories first and the manifest after them: a run killed between
//! the two leaves pages the manifest does not list yet, and the next run reads them
//! again and writes the same ids, which replaces, never duplicates.

use super::client::{Client, Reply};
use super::{Address, mapping};
use crate::analysis;
use crate::index::{Indexed, Manifest, PageEntry, Store, Story};
use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};

/// A bulk request is sent once it holds this many bytes.
const BULK_BYTES: usize = 4 * 1024 * 1024;
/// Bulk requests in flight at once.
const BULK_PARALLEL: usize = 4;
/// Documents fetched per request when reading the manifest or stories back.
const PAGE_SIZE: usize = 5000;
/// The manifest index's document that holds the commit number.
const GENERATION_ID: &str = "dateline-generation";

/// How a cluster index is created.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// Primary shards.
    pub shards: u32,
    /// Copies of each shard.
    pub replicas: u32,
}

impl Default for Layout {
    fn default() -> Layout {
        Layout {
            shards: 3,
            replicas: 1,
        }
    }
}

/// A cluster index open for an indexing run.
pub struct ClusterStore {
    client: Client,
    name: String,
    /// The manifest as the cluster has it: a commit sends only what changed.
    saved: Manifest,
    /// Story operations for the next commit, as bulk lines.
    operations: Vec<Vec<u8>>,
}

impl ClusterStore {
    /// Opens the index at `address` for writing, creating it (and its manifest index)
    /// when missing; with `rebuild`, a dateline index there is deleted first.
    pub fn open(address: &Address, rebuild: bool, layout: Layout) -> Result<ClusterStore> {
        let client = Client::new(address)?;
        let exists = super::check_index(&client)?;
        if exists && rebuild {
            for index in [address.index.clone(), address.pages_index()] {
                let reply = client.send("DELETE", &format!("/{index}"), None)?;
                if !reply.ok() && reply.status != 404 {
                    bail!("deleting {index} on {address}: {}", reply.reason());
                }
            }
        }
        if !exists || rebuild {
            create(&client, &address.index, &mapping::articles(layout))?;
        }
        if !exists_index(&client, &address.pages_index())? {
            create(&client, &address.pages_index(), &mapping::pages(layout))?;
        }
        // Writes start once every shard has its copies: a node lost later then leaves a
        // replica to take over, where a shard never copied would wait for that node.
        let health = format!(
            "/_cluster/health/{},{}?wait_for_status=green&timeout=30s",
            address.index,
            address.pages_index()
        );
        client.send("GET", &health, None)?;
        Ok(ClusterStore {
            name: address.to_string(),
            client,
            saved: Manifest::default(),
            operations: Vec::new(),
        })
    }

    fn index(&self) -> &str {
        &self.client.address().index
    }

    /// Sends bulk lines, several requests at a time; any item the cluster refuses for
    /// good is an error naming why (a busy node's items are sent again).
    fn bulk(&self, lines: Vec<Vec<u8>>) -> Result<()> {
        let mut requests: Vec<Vec<u8>> = Vec::new();
        let mut current: Vec<u8> = Vec::new();
        for line in lines {
            current.extend_from_slice(&line);
            if current.len() >= BULK_BYTES {
                requests.push(std::mem::take(&mut current));
            }
        }
        if !current.is_empty() {
            requests.push(current);
        }
        for group in requests.chunks(BULK_PARALLEL) {
            std::thread::scope(|scope| -> Result<()> {
                let sent: Vec<_> = group
                    .iter()
                    .map(|body| scope.spawn(|| send_bulk(&self.client, body)))
                    .collect();
                for handle in sent {
                    handle
                        .join()
                        .map_err(|_| anyhow!("a bulk request's thread panicked"))??;
                }
                Ok(())
            })?;
        }
        Ok(())
    }

    fn refresh(&self, index: &str) -> Result<()> {
        let reply = self
            .client
            .send("POST", &format!("/{index}/_refresh"), None)?;
        if !reply.ok() {
            bail!("refreshing {index}: {}", reply.reason());
        }
        Ok(())
    }
}

fn create(client: &Client, index: &str, body: &Value) -> Result<()> {
    let reply = client.send("PUT", &format!("/{index}"), Some(body))?;
    // Another machine may have created it a moment ago: that is the same index.
    if !reply.ok() && reply.error_type() != Some("resource_already_exists_exception") {
        bail!(
            "creating index {index} on {}: {}",
            client.address(),
            reply.reason()
        );
    }
    Ok(())
}

fn exists_index(client: &Client, index: &str) -> Result<bool> {
    let reply = client.send("HEAD", &format!("/{index}"), None)?;
    Ok(reply.ok())
}

/// Sends one bulk body; items refused as busy (429) are sent again, alone, after a pause.
fn send_bulk(client: &Client, body: &[u8]) -> Result<()> {
    let mut body = body.to_vec();
    let mut last_refusal = String::new();
    for attempt in 0..8 {
        let reply = client.send_ndjson("/_bulk", &body)?;
        if !reply.ok() {
            bail!("the cluster refused a bulk request: {}", reply.reason());
        }
        if reply.body["errors"] != Value::Bool(true) {
            return Ok(());
        }
        let lines: Vec<&[u8]> = body.split(|&b| b == b'\n').collect();
        let mut again: Vec<u8> = Vec::new();
        let mut at = 0;
        for item in reply.body["items"].as_array().into_iter().flatten() {
            let (action, result) = item
                .as_object()
                .and_then(|o| o.iter().next())
                .context("a bulk answer without its action")?;
            let lines_of_item = if action == "delete" { 1 } else { 2 };
            let status = result["status"].as_u64().unwrap_or(0);
            let fine = (200..300).contains(&status) || (action == "delete" && status == 404);
            if !fine {
                if status == 429 || status >= 500 {
                    last_refusal = Reply {
                        status: status as u16,
                        body: json!({ "error": result["error"].clone() }),
                    }
                    .reason();
                    for line in &lines[at..at + lines_of_item] {
                        again.extend_from_slice(line);
                        again.push(b'\n');
                    }
                } else {
                    let reason = Reply {
                        status: status as u16,
                        body: json!({ "error": result["error"].clone() }),
                    }
                    .reason();
                    bail!(
                        "the cluster refused story {}: {reason}",
                        result["_id"].as_str().unwrap_or("?")
                    );
                }
            }
            at += lines_of_item;
        }
        if again.is_empty() {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(200 << attempt.min(6)));
        body = again;
    }
    bail!("the cluster stayed too busy to take a bulk request ({last_refusal})")
}

fn bulk_line(action: &str, index: &str, id: &str, source: Option<&Value>) -> Vec<u8> {
    let mut line = json!({ action: { "_index": index, "_id": id } }).to_string();
    line.push('\n');
    if let Some(source) = source {
        line.push_str(&source.to_string());
        line.push('\n');
    }
    line.into_bytes()
}

/// A story id as the cluster keys it: 16 hex digits, as `show` takes them.
pub fn story_key(id: u64) -> String {
    format!("{id:016x}")
}

/// The page's document id: keys (absolute paths) can be longer than an id may be.
fn page_key(key: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(key.as_bytes()))
}

/// The document of a story: its display fields, filter keys, facets, and its text as
/// dateline's analysis reads it (see [`mapping`]).
pub fn document(story: &Story) -> Result<Value> {
    let mut doc = serde_json::Map::new();
    doc.insert("id".into(), story_key(story.id).into());
    let mut add_text = |name: &str, texts: &[&str]| {
        let (written, forms): (Vec<String>, Vec<String>) = texts
            .iter()
            .map(|text| analysis::written_and_forms(text))
            .unzip();
        doc.insert(format!("{name}_words"), json!(written));
        doc.insert(format!("{name}_forms"), json!(forms));
    };
    add_text("title", &story.titles());
    add_text("body", &[story.body.as_str()]);
    add_text("dateline", &story.dateline_words());
    let shown = story.shown();
    let city = shown.and_then(|a| a.city.as_deref());
    let agencies = story.agencies();
    let indexed = story
        .indexed
        .context("a story is written with the commit that holds it")?;
    let more = json!({
        "body": story.body,
        "lang": analysis::fold_key(&story.lang),
        "kind": shown.map(|a| a.kind.as_str()),
        "city": city,
        "city_key": city.map(analysis::fold_key),
        "agency": agencies,
        "agency_key": agencies.iter().map(|a| analysis::fold_key(a)).collect::<Vec<_>>(),
        "section": story.section(),
        "section_key": story.section().map(analysis::fold_key),
        "outlet": story.outlet(),
        "outlet_key": story.outlet().map(|o| analysis::fold_key(&analysis::aliases::outlet_key(o))),
        "time_source": story.time_source().as_str(),
        "published": story.published(),
        "appearances": serde_json::to_value(&story.appearances)?,
        "source_count": story.sources().len(),
        "generation": indexed.generation,
        "first_indexed": indexed.at,
        "headline": story_key(story.headline_key()),
        "headline_generation": indexed.headline_generation,
    });
    if let Value::Object(more) = more {
        doc.extend(more.into_iter().filter(|(_, v)| !v.is_null()));
    }
    Ok(Value::Object(doc))
}

/// A story back from its document (`_source` without the analysed text).
pub fn story_of(source: &Value) -> Result<Story> {
    let id = source["id"]
        .as_str()
        .and_then(|hex| u64::from_str_radix(hex, 16).ok())
        .context("a stored story without an id")?;
    let generation = source["generation"].as_u64();
    Ok(Story {
        id,
        body: source["body"].as_str().unwrap_or_default().to_string(),
        lang: source["lang"].as_str().unwrap_or_default().to_string(),
        appearances: serde_json::from_value(source["appearances"].clone())
            .context("decoding a stored story's appearances")?,
        indexed: generation.map(|generation| Indexed {
            generation,
            at: source["first_indexed"].as_i64().unwrap_or(0),
            headline_generation: source["headline_generation"].as_u64().unwrap_or(generation),
        }),
    })
}

/// What a search or a story read fetches: all but the analysed text.
pub fn source_filter() -> Value {
    json!({ "excludes": ["*_words", "*_forms"] })
}

impl Store for ClusterStore {
    fn name(&self) -> &str {
        &self.name
    }

    fn manifest(&mut self) -> Result<Manifest> {
        let pages_index = self.client.address().pages_index();
        let mut manifest = Manifest::default();
        let reply =
            self.client
                .send("GET", &format!("/{pages_index}/_doc/{GENERATION_ID}"), None)?;
        if reply.ok() {
            manifest.generation = reply.body["_source"]["generation"].as_u64().unwrap_or(0);
        }
        let mut after: Option<Value> = None;
        loop {
            let mut body = json!({
                "size": PAGE_SIZE,
                "query": { "exists": { "field": "page" } },
                "sort": [{ "page": "asc" }],
            });
            if let Some(after) = &after {
                body["search_after"] = after.clone();
            }
            let reply =
                self.client
                    .send("POST", &format!("/{pages_index}/_search"), Some(&body))?;
            if !reply.ok() {
                bail!("reading the page manifest: {}", reply.reason());
            }
            let hits = reply.body["hits"]["hits"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            for hit in &hits {
                let source = &hit["_source"];
                let key = source["page"].as_str().unwrap_or_default().to_string();
                let stories = source["stories"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|s| s.as_str().and_then(|h| u64::from_str_radix(h, 16).ok()))
                    .collect();
                manifest.pages.insert(
                    key,
                    PageEntry {
                        size: source["size"].as_u64().unwrap_or(0),
                        modified_ns: source["modified_ns"].as_i64().unwrap_or(0),
                        hash: source["hash"]
                            .as_str()
                            .and_then(|h| u64::from_str_radix(h, 16).ok())
                            .unwrap_or(0),
                        stories,
                    },
                );
            }
            match hits.last() {
                Some(last) if hits.len() == PAGE_SIZE => after = Some(last["sort"].clone()),
                _ => break,
            }
        }
        self.saved = manifest.clone();
        Ok(manifest)
    }

    fn ids(&mut self, manifest: &Manifest) -> Result<HashSet<u64>> {
        // The cluster holds exactly the stories of the pages its manifest lists (and,
        // after a killed run, some that the next run writes again by id).
        Ok(manifest
            .pages
            .values()
            .flat_map(|entry| entry.stories.iter().copied())
            .collect())
    }

    fn headlines(&mut self) -> Result<HashMap<u64, u64>> {
        let mut headlines = HashMap::new();
        let mut after: Option<Value> = None;
        loop {
            let mut composite = json!({
                "size": PAGE_SIZE,
                "sources": [{ "headline": { "terms": { "field": "headline" } } }],
            });
            if let Some(after) = &after {
                composite["after"] = after.clone();
            }
            let body = json!({
                "size": 0,
                "aggs": { "headlines": {
                    "composite": composite,
                    "aggs": { "first": { "min": { "field": "headline_generation" } } },
                } },
            });
            let reply = self.client.search(&body, "reading headlines")?;
            let aggregation = &reply.body["aggregations"]["headlines"];
            let buckets = aggregation["buckets"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            for bucket in &buckets {
                if let (Some(key), Some(first)) = (
                    bucket["key"]["headline"]
                        .as_str()
                        .and_then(|h| u64::from_str_radix(h, 16).ok()),
                    bucket["first"]["value"].as_f64(),
                ) {
                    headlines.insert(key, first as u64);
                }
            }
            match aggregation.get("after_key") {
                Some(key) if buckets.len() == PAGE_SIZE => after = Some(key.clone()),
                _ => break,
            }
        }
        Ok(headlines)
    }

    fn load(&mut self, ids: &[u64]) -> Result<HashMap<u64, Story>> {
        let mut stories = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(PAGE_SIZE) {
            let body = json!({
                "ids": chunk.iter().map(|&id| story_key(id)).collect::<Vec<_>>(),
            });
            let path = format!("/{}/_mget?_source_excludes=*_words,*_forms", self.index());
            let reply = self.client.send("POST", &path, Some(&body))?;
            if !reply.ok() {
                bail!("reading stored stories: {}", reply.reason());
            }
            for doc in reply.body["docs"].as_array().into_iter().flatten() {
                if doc["found"] == Value::Bool(true) {
                    let story = story_of(&doc["_source"])?;
                    stories.insert(story.id, story);
                }
            }
        }
        Ok(stories)
    }

    fn put(&mut self, story: &Story, _replace: bool) -> Result<()> {
        let index = self.index().to_string();
        let line = bulk_line(
            "index",
            &index,
            &story_key(story.id),
            Some(&document(story)?),
        );
        self.operations.push(line);
        Ok(())
    }

    fn delete(&mut self, id: u64) -> Result<()> {
        let index = self.index().to_string();
        self.operations
            .push(bulk_line("delete", &index, &story_key(id), None));
        Ok(())
    }

    fn commit(&mut self, manifest: &Manifest) -> Result<()> {
        let operations = std::mem::take(&mut self.operations);
        self.bulk(operations)?;
        self.refresh(self.index())?;
        let pages_index = self.client.address().pages_index();
        let mut lines = Vec::new();
        for (key, entry) in &manifest.pages {
            if self.saved.pages.get(key) != Some(entry) {
                let source = json!({
                    "page": key,
                    "size": entry.size,
                    "modified_ns": entry.modified_ns,
                    "hash": format!("{:016x}", entry.hash),
                    "stories": entry.stories.iter().map(|&id| story_key(id)).collect::<Vec<_>>(),
                });
                lines.push(bulk_line(
                    "index",
                    &pages_index,
                    &page_key(key),
                    Some(&source),
                ));
            }
        }
        for key in self.saved.pages.keys() {
            if !manifest.pages.contains_key(key) {
                lines.push(bulk_line("delete", &pages_index, &page_key(key), None));
            }
        }
        let generation = json!({ "generation": manifest.generation });
        lines.push(bulk_line(
            "index",
            &pages_index,
            GENERATION_ID,
            Some(&generation),
        ));
        self.bulk(lines)?;
        self.refresh(&pages_index)?;
        self.saved = manifest.clone();
        Ok(())
    }

    fn count(&mut self) -> Result<u64> {
        super::count(&self.client)
    }

    fn close(self: Box<Self>) -> Result<()> {
        Ok(())
    }
}

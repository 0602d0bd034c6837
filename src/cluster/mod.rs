//! An OpenSearch cluster as the place articles are kept: the same commands, query
//! language and JSON as the local index (`--index http://host:9200/name`). dateline
//! reads the pages and decides what matches; the cluster stores, distributes and
//! searches (shards, replicas, failover).

mod address;
pub mod client;
pub mod mapping;
pub mod search;
pub mod store;

pub use address::{Address, DEFAULT_INDEX, is_url, redact};
pub use client::Client;
pub use store::{ClusterStore, Layout};

use crate::usage_error;
use anyhow::{Result, bail};

/// Whether the index at the client's address exists and is dateline's (of this format).
/// An index that is not dateline's, or of another format, is a usage error.
pub fn check_index(client: &Client) -> Result<bool> {
    let address = client.address();
    let reply = client.send("GET", &format!("/{}/_mapping", address.index), None)?;
    if reply.status == 404 {
        return Ok(false);
    }
    if reply.status == 401 || reply.status == 403 {
        bail!(
            "the cluster at {address} refused dateline's credentials ({}); set them in the URL or DATELINE_OPENSEARCH_USER/_PASSWORD",
            reply.reason()
        );
    }
    if !reply.ok() {
        bail!("reading the index at {address}: {}", reply.reason());
    }
    let meta = reply
        .body
        .as_object()
        .and_then(|indexes| indexes.values().next())
        .map(|index| index["mappings"]["_meta"]["dateline"].clone())
        .unwrap_or_default();
    if meta.is_null() {
        return Err(usage_error(format!(
            "the index {} on {} is not a dateline index; give another index name in --index",
            address.index,
            address.nodes.join(",")
        )));
    }
    if meta != mapping::marker() {
        return Err(usage_error(format!(
            "the index at {address} was written by an incompatible version of dateline; rebuild it with 'dateline index --rebuild <folder> --index {address}'"
        )));
    }
    Ok(true)
}

/// Opens a cluster index for searching: a missing one is a usage error.
pub fn open(address: &Address) -> Result<Client> {
    let client = Client::new(address)?;
    if !check_index(&client)? {
        return Err(usage_error(format!(
            "no index at {address}; run 'dateline index <folder> --index {address}' first"
        )));
    }
    Ok(client)
}

/// Articles the index holds.
pub fn count(client: &Client) -> Result<u64> {
    let index = &client.address().index;
    let reply = client.send("GET", &format!("/{index}/_count"), None)?;
    if !reply.ok() {
        bail!(
            "counting articles at {}: {}",
            client.address(),
            reply.reason()
        );
    }
    Ok(reply.body["count"].as_u64().unwrap_or(0))
}

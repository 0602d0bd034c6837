//! The OpenSearch test cluster of tests/util/cluster.rs (launcher in cluster/): three nodes
//! go green, and an index with a replica per shard still answers with one node killed and
//! is whole again once it is back.

use crate::util::cluster;
use serde_json::Value;
use std::thread::sleep;
use std::time::{Duration, Instant};

#[test]
fn cluster_starts_green_and_survives_a_killed_node() {
    let cluster = cluster::shared();
    let ports = cluster.http_ports();
    assert_eq!(ports.len(), 3);
    let urls: Vec<String> = ports
        .iter()
        .map(|p| format!("http://127.0.0.1:{p}"))
        .collect();
    assert_eq!(cluster.url(), urls.join(","));

    let (status, nodes) = cluster.get("/_cat/nodes?h=name");
    assert_eq!(status, 200, "{nodes}");
    let mut names: Vec<&str> = nodes.lines().map(str::trim).collect();
    names.sort();
    assert_eq!(names, ["node-0", "node-1", "node-2"]);

    // Its own index: other tests may share the cluster.
    let index = "cluster-launcher-test";
    let settings = r#"{"settings": {"number_of_shards": 3, "number_of_replicas": 1}}"#;
    let (status, body) = cluster.put(&format!("/{index}"), settings);
    assert_eq!(status, 200, "{body}");
    let doc = r#"{"title": "Nieuwe brug over de IJssel bij Zwolle"}"#;
    let (status, body) = cluster.put(&format!("/{index}/_doc/1?refresh=true"), doc);
    assert_eq!(status, 201, "{body}");
    // Every shard needs both copies before a node goes, or one could lose its only copy.
    cluster.wait_green();

    cluster.kill(1);
    let (status, body) = cluster.get("/_cluster/health?wait_for_nodes=2&timeout=30s");
    assert_eq!(status, 200, "{body}");
    let health: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(health["status"], "yellow", "{body}");

    // A shard copy on the dead node may still be asked first; the search moves on to the other.
    let search = r#"{"query": {"match": {"title": "ijssel"}}}"#;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, body) = cluster.post(&format!("/{index}/_search"), search);
        let found: Value = serde_json::from_str(&body).unwrap_or_default();
        if status == 200 && found["hits"]["total"]["value"] == 1 && found["_shards"]["failed"] == 0
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "with node-1 killed: {status} {body}"
        );
        sleep(Duration::from_millis(200));
    }

    cluster.restart(1);
    cluster.wait_green();
    let (status, body) = cluster.get(&format!("/_cat/shards/{index}?h=state"));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body.matches("STARTED").count(), 6, "{body}");
}

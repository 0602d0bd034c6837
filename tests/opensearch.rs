//! The same commands on an OpenSearch cluster (issue 17): a real cluster of three nodes
//! with a replica of each shard, from `cluster/`; the fixtures and a slice of the
//! leestmeer pages indexed locally and into it through the binary, and the answers
//! compared; then failures: nodes killed while indexing and searching, and the errors a
//! user meets.

use crate::corpus::convert;

use crate::util::cluster::{self, Cluster};
use crate::util::repo;
use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Leestmeer items converted: every 199th of 99,565, so the slice spans 2012–2019.
const SLICE_ITEMS: usize = 500;
const SLICE_STRIDE: usize = 199;

fn dateline(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("dateline")
        .expect("the dateline binary")
        .env_remove("DATELINE_INDEX")
        .env("TZ", "Europe/Amsterdam")
        .args(args)
        .output()
        .expect("running dateline")
}

fn ok(args: &[&str]) -> String {
    let output = dateline(args);
    assert!(
        output.status.success(),
        "dateline {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

fn search_json(index: &str, query: &str, filters: &[&str]) -> Value {
    let mut args = vec!["search", query, "--json", "--limit", "10", "--index", index];
    args.extend_from_slice(filters);
    serde_json::from_str(&ok(&args)).expect("search --json is JSON")
}

/// The fixtures, the sample page and a slice of the leestmeer pages, in one folder.
fn pages(temp: &Path) -> PathBuf {
    let pages = temp.join("pages");
    crate::util::copy_tree(&repo().join("fixtures"), &pages.join("fixtures"));
    std::fs::copy(crate::util::seed_page(), pages.join("seed.txt")).expect("copying the seed");
    let input = repo().join("../shared/corpus/leestmeer/leestmeer-2012-2019-07.jsonl.gz");
    let selection = convert::Selection {
        every: SLICE_STRIDE,
        limit: Some(SLICE_ITEMS),
    };
    convert::convert(&input, &pages.join("leestmeer"), selection).expect("converting the slice");
    pages
}

fn titles(pages: &Path) -> Vec<String> {
    let mut titles = Vec::new();
    for entry in walkdir(pages.join("leestmeer")) {
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        if let Some(start) = text.find("<h1>")
            && let Some(end) = text[start..].find("</h1>")
        {
            let title = &text[start + 4..start + end];
            if !title.is_empty() && !title.contains('&') {
                titles.push(title.to_string());
            }
        }
    }
    titles.sort();
    titles
}

fn walkdir(dir: PathBuf) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![dir];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// `dateline index <pages> --index <index> --quiet`, which must succeed.
fn index_quietly(pages: &Path, index: &str) {
    ok(&[
        "index",
        pages.to_str().expect("a UTF-8 path"),
        "--index",
        index,
        "--quiet",
    ]);
}

fn ids(answer: &Value) -> Vec<String> {
    answer["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|hit| hit["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn a_cluster_answers_as_the_local_index_does() {
    let cluster = cluster::shared();
    let temp = tempfile::tempdir().expect("a temp dir");
    let pages = pages(temp.path());
    let pages_arg = pages.to_str().expect("a UTF-8 path");
    let local = temp.path().join("index");
    let local = local.to_str().expect("a UTF-8 path");
    let remote = format!("{}/parity", cluster.url());
    ok(&["index", pages_arg, "--index", local, "--quiet"]);
    ok(&["index", pages_arg, "--index", &remote, "--quiet"]);

    // The same articles and facet counts.
    let all_local = search_json(local, "*", &[]);
    let all_remote = search_json(&remote, "*", &[]);
    assert!(
        all_local["total"].as_u64().unwrap() > 500,
        "{}",
        all_local["total"]
    );
    assert_eq!(all_remote["total"], all_local["total"]);
    assert_eq!(all_remote["facets"], all_local["facets"]);

    // stats, timeline, show and export answer the same.
    let stats = |index: &str| {
        let mut stats: Value = serde_json::from_str(&ok(&["stats", "--json", "--index", index]))
            .expect("stats --json is JSON");
        stats["index_bytes"] = Value::Null;
        stats
    };
    assert_eq!(stats(&remote), stats(local));
    for timeline in [
        vec!["timeline", "politie", "--json"],
        vec![
            "timeline", "*", "--by", "month", "--split", "agency", "--json",
        ],
        vec![
            "timeline", "kabinet", "--since", "2015", "--by", "week", "--json",
        ],
    ] {
        let with = |index: &str| {
            let mut args = timeline.clone();
            args.extend(["--index", index]);
            ok(&args)
        };
        assert_eq!(with(&remote), with(local), "{timeline:?}");
    }
    let lines = |index: &str, query: &str| -> Vec<Value> {
        ok(&["export", query, "--sort", "date", "--index", index])
            .lines()
            .map(|line| serde_json::from_str(line).expect("a JSON line"))
            .collect()
    };
    let exported = lines(&remote, "*");
    assert_eq!(Some(exported.len() as u64), all_local["total"].as_u64());
    let without_scores = |articles: Vec<Value>| -> Vec<Value> {
        articles
            .into_iter()
            .map(|mut a| {
                a["score"] = Value::Null;
                a["first_indexed"] = Value::Null;
                a
            })
            .collect()
    };
    assert_eq!(without_scores(exported), without_scores(lines(local, "*")));
    let some_id = all_local["hits"][0]["id"].as_str().unwrap()[..8].to_string();
    let shown = |index: &str| ok(&["show", &some_id, "--index", index]);
    assert_eq!(
        shown(&remote)
            .lines()
            .filter(|l| !l.contains("indexed"))
            .collect::<Vec<_>>(),
        shown(local)
            .lines()
            .filter(|l| !l.contains("indexed"))
            .collect::<Vec<_>>()
    );

    // The web page and its API answer from the cluster as the CLI does.
    let server = crate::serve::Server::on(std::ffi::OsStr::new(&remote));
    let (status, _, body) = server.get("/api/search?q=kabinet");
    assert_eq!(status, 200, "{body}");
    let api: Value = serde_json::from_str(&body).expect("the API answers JSON");
    assert_eq!(api, search_json(&remote, "kabinet", &[]));
    let (status, _, page) = server.get("/?q=politie&agency=ANP");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("politie"), "{page}");
    let (status, _, body) = server.get(&format!("/api/article/{some_id}"));
    assert_eq!(status, 200, "{body}");
    drop(server);

    // Re-indexing sends nothing and adds nothing.
    let again = dateline(&["index", pages_arg, "--index", &remote]);
    let summary = String::from_utf8_lossy(&again.stderr);
    assert!(summary.contains("indexed 0 pages"), "{summary}");
    assert_eq!(search_json(&remote, "*", &[])["total"], all_local["total"]);

    let mut queries: Vec<(String, Vec<&str>)> = [
        "Kim Jong-un",
        "Poetin",
        "Rutte",
        "kabinet",
        "kabinetten",
        "Noord-Korea",
        "\"Noord-Koreaanse leider\"",
        "minister",
        "ministers",
        "politie OR brandweer",
        "Trump -Clinton",
        "title:Ajax",
        "body:(verkiezingen OR stembus)",
        "auto's",
        "ziekenhuis",
        "ziekenhuizen",
        "Amsterdam",
        "\"de politie\"",
        "brand",
        "voetbal",
        "Europese Unie",
        "klimaat",
        "belasting",
        "onderwijs",
        "rechter",
        // Typos: corrected the same way from the cluster's words.
        "kabniet",
        "ziekenhius",
        "Poeitn",
        "polite",
    ]
    .iter()
    .map(|q| (q.to_string(), Vec::new()))
    .collect();
    for (query, filters) in [
        ("*", vec!["--agency", "ANP"]),
        ("*", vec!["--agency", "Reuters"]),
        ("*", vec!["--city", "Den Haag"]),
        ("politie", vec!["--since", "2016", "--until", "2017"]),
        ("*", vec!["--outlet", "nos.nl"]),
        ("kabinet", vec!["--sort", "date"]),
    ] {
        queries.push((query.to_string(), filters));
    }
    let titles = titles(&pages);
    let step = (titles.len() / 25).max(1);
    queries.extend(
        titles
            .iter()
            .step_by(step)
            .take(25)
            .map(|t| (t.clone(), Vec::new())),
    );
    assert!(queries.len() >= 50, "{} queries", queries.len());

    let mut overlaps = Vec::new();
    let mut differences = Vec::new();
    for (query, filters) in &queries {
        let here = search_json(local, query, filters);
        let there = search_json(&remote, query, filters);
        if here["total"] != there["total"] || here["corrected"] != there["corrected"] {
            differences.push(format!(
                "{query:?} {filters:?}: {} here ({}), {} on the cluster ({})",
                here["total"], here["corrected"], there["total"], there["corrected"]
            ));
        }
        let (here, there) = (ids(&here), ids(&there));
        if here.is_empty() {
            continue;
        }
        let shared = here.iter().filter(|id| there.contains(id)).count();
        overlaps.push(shared as f64 * 10.0 / here.len() as f64);
    }
    let average = overlaps.iter().sum::<f64>() / overlaps.len() as f64;
    eprintln!(
        "cluster parity: {} queries, {} with hits, top-10 overlap {average:.2} of 10",
        queries.len(),
        overlaps.len()
    );
    assert!(
        differences.is_empty(),
        "totals differ:\n{}",
        differences.join("\n")
    );
    assert!(
        overlaps.len() >= 40,
        "only {} queries found anything",
        overlaps.len()
    );
    assert!(average >= 8.0, "top-10 overlap {average:.2} of 10");
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn cluster_errors_are_one_line_and_exit_non_zero() {
    let cluster = cluster::shared();
    let fixtures = repo().join("fixtures");
    let fixtures = fixtures.to_str().unwrap();
    let one_line = |args: &[&str], code: i32, says: &str| {
        let output = dateline(args);
        let stderr = String::from_utf8_lossy(&output.stderr).to_string();
        assert_eq!(output.status.code(), Some(code), "{args:?}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!stderr.contains("secret"), "{stderr}");
    };
    // Down: nothing listens on the port.
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = free.local_addr().unwrap().port();
    drop(free);
    let down = format!("http://ann:secret@127.0.0.1:{port}/news");
    one_line(&["search", "Kim", "--index", &down], 1, "does not answer");
    one_line(&["index", fixtures, "--index", &down], 1, "does not answer");
    // A wrong URL.
    one_line(
        &[
            "search",
            "Kim",
            "--index",
            "http://ann:secret@h1:9200/News/x",
        ],
        2,
        "index name",
    );
    // An index that is not dateline's.
    let (status, body) = cluster.put(
        "/someone-elses",
        r#"{"mappings":{"properties":{"x":{"type":"keyword"}}}}"#,
    );
    assert!(
        status == 200 || body.contains("already_exists"),
        "{status} {body}"
    );
    let foreign = format!("{}/someone-elses", cluster.url());
    one_line(
        &["search", "Kim", "--index", &foreign],
        2,
        "not a dateline index",
    );
    one_line(
        &["index", fixtures, "--index", &foreign],
        2,
        "not a dateline index",
    );
    // No index yet.
    let missing = format!("{}/not-made-yet", cluster.url());
    one_line(&["search", "Kim", "--index", &missing], 2, "no index at");
    // A refused bulk request: the index is made read-only after it was created.
    let blocked = format!("{}/blocked", cluster.url());
    let temp = tempfile::tempdir().unwrap();
    let one_page = temp.path().join("one.txt");
    std::fs::copy(crate::util::seed_page(), &one_page).unwrap();
    ok(&[
        "index",
        one_page.to_str().unwrap(),
        "--index",
        &blocked,
        "--quiet",
    ]);
    let (status, body) = cluster.put("/blocked/_settings", r#"{"index.blocks.write":true}"#);
    assert_eq!(status, 200, "{body}");
    one_line(&["index", fixtures, "--index", &blocked], 1, "refused");
    let (status, body) = cluster.put("/blocked/_settings", r#"{"index.blocks.write":false}"#);
    assert_eq!(status, 200, "{body}");
    // Nothing was lost: the next run sends what the refused one could not.
    ok(&["index", fixtures, "--index", &blocked, "--quiet"]);
    let all = search_json(&blocked, "*", &[]);
    assert!(all["total"].as_u64().unwrap() > 100, "{}", all["total"]);
}

/// https: a server with a certificate of its own (openssl's test server, which answers
/// any request with a page that is not an index) is trusted only through
/// DATELINE_OPENSEARCH_CA.
#[test]
fn https_needs_the_clusters_certificate_and_then_works() {
    let temp = tempfile::tempdir().expect("a temp dir");
    let (key, cert) = (temp.path().join("key.pem"), temp.path().join("cert.pem"));
    let made = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
        ])
        .args(["-nodes", "-days", "2", "-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"])
        .args(["-addext", "basicConstraints=critical,CA:FALSE", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("running openssl");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = free.local_addr().unwrap().port();
    drop(free);
    let mut server = std::process::Command::new("openssl")
        .args([
            "s_server",
            "-quiet",
            "-www",
            "-accept",
            &port.to_string(),
            "-cert",
        ])
        .arg(&cert)
        .arg("-key")
        .arg(&key)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("starting openssl s_server");
    let url = format!("https://127.0.0.1:{port}/news");
    let run = |ca: Option<&Path>| {
        let mut command = Command::cargo_bin("dateline").unwrap();
        command.args(["search", "Kim", "--index", &url]);
        if let Some(ca) = ca {
            command.env("DATELINE_OPENSEARCH_CA", ca);
        }
        command.output().unwrap()
    };
    let mut trusted = run(Some(&cert));
    for _ in 0..50 {
        if !String::from_utf8_lossy(&trusted.stderr).contains("does not answer") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        trusted = run(Some(&cert));
    }
    let untrusted = run(None);
    let _ = server.kill();
    let _ = server.wait();
    // Trusted, the TLS connection works and the answer is read: it is not an index.
    let said = String::from_utf8_lossy(&trusted.stderr);
    assert_eq!(trusted.status.code(), Some(2), "{said}");
    assert!(said.contains("is not a dateline index"), "{said}");
    let said = String::from_utf8_lossy(&untrusted.stderr);
    assert_eq!(untrusted.status.code(), Some(1), "{said}");
    assert!(said.contains("DATELINE_OPENSEARCH_CA"), "{said}");
    assert_eq!(said.trim().lines().count(), 1, "{said}");
}

#[test]
fn pages_saved_while_watched_reach_the_cluster() {
    use crate::watch::{Watching, eventually, page};
    let cluster = cluster::shared();
    let temp = tempfile::tempdir().expect("a temp dir");
    let pages = temp.path().join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    std::fs::write(pages.join("first.txt"), page("Eerste bericht", "pauw")).unwrap();
    let remote = format!("{}/watched", cluster.url());
    let total = |query: &str| search_json(&remote, query, &[])["total"].as_u64().unwrap();
    let mut watching = Watching::on(&pages, std::ffi::OsStr::new(&remote), &[]);
    assert_eq!(total("pauw"), 1);
    std::fs::write(pages.join("second.txt"), page("Tweede bericht", "zeekoe")).unwrap();
    watching.wait_for_line("+1 pages");
    eventually("the saved page is found on the cluster", || {
        total("zeekoe") == 1
    });
    std::fs::remove_file(pages.join("first.txt")).unwrap();
    eventually("the deleted page's story leaves the cluster", || {
        total("pauw") == 0
    });
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn a_saved_search_on_a_cluster_shows_what_is_new_once() {
    let cluster = cluster::shared();
    let temp = tempfile::tempdir().expect("a temp dir");
    let remote = format!("{}/followed", cluster.url());
    let follow = |args: &[&str]| -> Value {
        let output = Command::cargo_bin("dateline")
            .unwrap()
            .env("XDG_STATE_HOME", temp.path())
            .args(args)
            .args(["--index", &remote])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_str(stdout.lines().next().unwrap_or("null")).unwrap_or(Value::Null)
    };
    let fixtures = repo().join("fixtures");
    ok(&[
        "index",
        fixtures.to_str().unwrap(),
        "--index",
        &remote,
        "--quiet",
    ]);
    follow(&["follow", "add", "kim", "Kim Jong-un"]);
    let nothing = follow(&["follow", "kim", "--json"]);
    assert_eq!(nothing["new"], Value::Array(Vec::new()), "{nothing}");
    // The sample page brings a story about him.
    index_quietly(&crate::util::seed_page(), &remote);
    let peeked = follow(&["follow", "kim", "--json", "--peek"]);
    assert_eq!(peeked["new"].as_array().map(Vec::len), Some(1), "{peeked}");
    let shown = follow(&["follow", "kim", "--json"]);
    assert_eq!(shown["new"], peeked["new"]);
    let again = follow(&["follow", "kim", "--json"]);
    assert_eq!(again["new"], Value::Array(Vec::new()), "{again}");
    // The saved searches are this user's, on this machine.
    assert!(
        std::fs::read_dir(temp.path().join("dateline"))
            .unwrap()
            .count()
            == 1
    );
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn a_node_killed_while_indexing_and_searching_loses_nothing() {
    // Its own cluster: killing a node of the shared one would disturb the other tests.
    let cluster = Cluster::start(3);
    let temp = tempfile::tempdir().expect("a temp dir");
    let pages = pages(temp.path());
    let pages_arg = pages.to_str().unwrap().to_string();
    let local = temp.path().join("index");
    let local = local.to_str().unwrap().to_string();
    ok(&["index", &pages_arg, "--index", &local, "--quiet"]);
    let expected = search_json(&local, "*", &[]);
    let remote = format!("{}/failover", cluster.url());

    // The index is made (and its shards copied) by a first run of one page; a node
    // is killed one second into the second run (which takes several).
    index_quietly(&crate::util::seed_page(), &remote);
    std::thread::scope(|scope| {
        let indexing = scope.spawn(|| {
            dateline(&[
                "index",
                &pages_arg,
                "--index",
                &remote,
                "--commit-interval",
                "1",
            ])
        });
        std::thread::sleep(std::time::Duration::from_millis(1500));
        cluster.kill(1);
        let output = indexing.join().unwrap();
        assert!(
            output.status.success(),
            "indexing failed when a node died: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    });
    let after = search_json(&remote, "*", &[]);
    assert_eq!(after["total"], expected["total"]);
    assert_eq!(after["facets"], expected["facets"]);

    // Searches go on while the first node given dies, and answer the same (with the
    // other node back: two of three down is no cluster).
    cluster.restart(1);
    cluster.wait_green();
    let before = search_json(&remote, "kabinet", &[]);
    cluster.kill(0);
    for query in ["kabinet", "politie", "Rutte", "*"] {
        let here = search_json(&local, query, &[]);
        let there = search_json(&remote, query, &[]);
        assert_eq!(there["total"], here["total"], "{query}");
    }
    assert_eq!(
        search_json(&remote, "kabinet", &[])["total"],
        before["total"]
    );
    cluster.restart(0);
    cluster.wait_green();
    let (status, nodes) = cluster.get("/_cat/nodes");
    assert_eq!((status, nodes.lines().count()), (200, 3), "{nodes}");

    // An index run killed half-way (kill -9) is finished by the next, nothing twice.
    let killed = format!("{}/killed", cluster.url());
    let mut run = std::process::Command::new(assert_cmd::cargo::cargo_bin("dateline"))
        .args([
            "index",
            &pages_arg,
            "--index",
            &killed,
            "--commit-interval",
            "1",
        ])
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("starting dateline index");
    std::thread::sleep(std::time::Duration::from_millis(2500));
    assert!(
        run.try_wait().unwrap().is_none(),
        "the run ended before the kill"
    );
    run.kill().unwrap();
    run.wait().unwrap();
    index_quietly(&pages, &killed);
    let finished = search_json(&killed, "*", &[]);
    assert_eq!(finished["total"], expected["total"]);
    assert_eq!(finished["facets"], expected["facets"]);
}

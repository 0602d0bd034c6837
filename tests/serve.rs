//! `dateline serve` (issue 14): the API answers as the CLI's `--json` does, hostile
//! pages stay text, bad requests get a 400 and never a 500, a few hundred requests at
//! once get answers, a commit is seen without a restart, and a real browser can search,
//! filter, narrow by the timeline and read.

use crate::util::{Sandbox, stderr, stdout};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A page whose title and text are made to run script if anything forgets to escape.
const HOSTILE: &str = "<!DOCTYPE html><html><head><meta charset=\"utf-8\">\
    <title>&lt;script&gt;window.__xss=1&lt;/script&gt;</title></head><body><article>\
    <h1>&lt;script&gt;window.__xss=1&lt;/script&gt;&lt;img src=x onerror=\"window.__xss=2\"&gt; Raad Zwolle</h1>\
    <p>ZWOLLE (ANP) - De gemeenteraad van Zwolle praat over &lt;img src=x onerror=window.__xss=3&gt; een nieuwe brug. \
    Het besluit valt volgende week.</p></article></body></html>";

/// `dateline serve` on a free port, stopped when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`
    url: String,
}

impl Server {
    fn start(sandbox: &Sandbox) -> Server {
        Server::on(sandbox.index().as_os_str())
    }

    /// Serves the index at a folder or URL.
    pub fn on(index: &std::ffi::OsStr) -> Server {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("dateline"))
            .args(["serve", "--port", "0", "--index"])
            .arg(index)
            .env_remove("DATELINE_INDEX")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let line = lines.next().expect("serve says where").unwrap();
        let url = line
            .split_whitespace()
            .rfind(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .trim_end_matches('/')
            .to_string();
        // Keep reading stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, url }
    }

    fn address(&self) -> String {
        self.url.trim_start_matches("http://").to_string()
    }

    /// GET `path`: status, headers (lower-case names), body.
    pub fn get(&self, path: &str) -> (u16, String, String) {
        get(&self.address(), path)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn get(address: &str, path: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        unchunk(body)
    } else {
        body.to_string()
    };
    (status, head.to_ascii_lowercase(), body)
}

fn unchunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.push_str(&rest[..size]);
        body = &rest[size + 2..];
    }
    out
}

fn cli_json(sandbox: &Sandbox, args: &[&str]) -> Value {
    let output = sandbox.run(args).output().unwrap();
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    serde_json::from_str(stdout(&output).lines().next().unwrap()).unwrap()
}

fn indexed() -> Sandbox {
    let sandbox = Sandbox::new().with_fixtures_and_seed();
    sandbox.write_page("gevaarlijk/titel.html", HOSTILE);
    sandbox.index_pages();
    sandbox
}

/// One contract, one serializer: the API prints what `--json` prints.
#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn the_api_answers_as_the_cli_does() {
    let sandbox = indexed();
    let server = Server::start(&sandbox);
    let api = |path: &str| -> Value {
        let (status, head, body) = server.get(path);
        assert_eq!(status, 200, "{path}: {body}");
        assert!(head.contains("application/json"), "{head}");
        serde_json::from_str(&body).unwrap()
    };
    assert_eq!(
        api("/api/search?q=Peskov&agency=DPA"),
        cli_json(&sandbox, &["search", "Peskov", "--agency", "DPA", "--json"])
    );
    assert_eq!(
        api("/api/search?q=*&sort=oldest&limit=50&offset=10"),
        cli_json(
            &sandbox,
            &[
                "search", "*", "--sort", "oldest", "--limit", "50", "--offset", "10", "--json"
            ]
        )
    );
    assert_eq!(
        api("/api/article/4d2aca"),
        cli_json(&sandbox, &["show", "4d2aca", "--json"])
    );
    assert_eq!(
        api("/api/timeline?q=Oekraine&by=month&split=agency"),
        cli_json(
            &sandbox,
            &[
                "timeline", "Oekraine", "--by", "month", "--split", "agency", "--json"
            ]
        )
    );
    let stats = api("/api/stats");
    assert_eq!(stats, cli_json(&sandbox, &["stats", "--json"]));
}

/// Everything from pages is text; the page allows no inline script; nothing of the
/// file system is reachable.
#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn hostile_pages_stay_text_and_bad_requests_are_400s() {
    let sandbox = indexed();
    let server = Server::start(&sandbox);
    let (status, head, page) = server.get("/?q=Zwolle+brug");
    assert_eq!(status, 200);
    assert!(
        head.contains("content-security-policy: default-src 'none'; script-src 'self'"),
        "{head}"
    );
    assert!(page.contains("&lt;script&gt;window.__xss=1&lt;/script&gt;&lt;img src=x onerror=&quot;window.__xss=2&quot;&gt;"), "{page}");
    assert!(!page.contains("<script>window"), "{page}");
    assert!(!page.contains("<img src=x"), "{page}");
    // The only script is the page's own file.
    assert_eq!(page.matches("<script").count(), 1);
    assert!(page.contains("<script src=\"/static/app.js\" defer></script>"));

    for bad in [
        "/?sort=score",
        "/?since=gisteren",
        "/?page=0",
        "/?page=99999999999999999999999",
        "/?by=hour",
        "/?q=title%3A",
        "/api/search?limit=5000",
        "/api/search?q=title%3A",
        "/api/timeline?split=lang",
        "/api/article/xyz",
    ] {
        let (status, _, body) = server.get(bad);
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(!body.is_empty(), "{bad}: no message");
    }
    let long = format!("/?q={}", "a".repeat(1_001));
    assert_eq!(server.get(&long).0, 400);
    for missing in [
        "/api/article/000000",
        "/../../etc/passwd",
        "/static/../Cargo.toml",
        "/index/meta.json",
    ] {
        let (status, _, body) = server.get(missing);
        assert_eq!(status, 404, "{missing}: {body}");
        assert!(!body.contains("root:"), "{missing}");
    }
}

/// A few hundred requests at once: every one answered, none with a 5xx, and the server
/// still answers after.
#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn a_few_hundred_requests_at_once_are_all_answered() {
    let sandbox = indexed();
    let server = Server::start(&sandbox);
    let address = server.address();
    let queries = [
        "Oekraine",
        "Peskov",
        "*",
        "brug",
        "title:Kim",
        "Verstpapen",
        "\"de\"",
        "zwolle",
    ];
    let threads: Vec<_> = (0..300)
        .map(|i| {
            let address = address.clone();
            let query = queries[i % queries.len()];
            std::thread::spawn(move || {
                let path = format!(
                    "/api/search?q={}",
                    query.replace(' ', "+").replace('"', "%22")
                );
                get(&address, &path).0
            })
        })
        .collect();
    let statuses: Vec<u16> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(statuses.iter().all(|&s| s == 200), "{statuses:?}");
    assert_eq!(server.get("/api/stats").0, 200);
}

/// An `index` run's commit is searched without restarting the server.
#[test]
fn a_commit_is_seen_without_a_restart() {
    let sandbox = Sandbox::new();
    sandbox.write_page(
        "eerste.txt",
        "Kop een\nAMSTERDAM (ANP) - Het eerste bericht over de sluis.\n",
    );
    sandbox.index_pages();
    let server = Server::start(&sandbox);
    let total = |server: &Server| {
        let (_, _, body) = server.get("/api/search?q=sluis");
        serde_json::from_str::<Value>(&body).unwrap()["total"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(total(&server), 1);
    sandbox.write_page(
        "tweede.txt",
        "Kop twee\nIJMUIDEN (ANP) - Het tweede bericht over de sluis.\n",
    );
    sandbox.index_pages();
    let started = Instant::now();
    while total(&server) != 2 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the commit was not seen"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The page lists saved searches with how many stories are new; the API's follow is
/// `follow --peek --json`, and looking does not count as a showing.
#[test]
fn saved_searches_are_listed_with_what_is_new_and_new_hits_are_marked() {
    let sandbox = Sandbox::new();
    let page = |word: &str| {
        format!("Kop over {word}\nAMSTERDAM (ANP) - Het bericht over de {word} en de sluis.\n")
    };
    sandbox.write_page("oud.txt", page("brug"));
    sandbox.index_pages();
    let output = sandbox
        .run(&["follow", "add", "sluizen", "sluis"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    sandbox.write_page("nieuw.txt", page("zeesluis"));
    sandbox.index_pages();
    let server = Server::start(&sandbox);

    let (status, _, html) = server.get("/");
    assert_eq!(status, 200);
    assert!(
        html.contains("data-saved=\"sluizen\" data-new=\"1\" data-updated=\"0\""),
        "{html}"
    );
    let (_, _, html) = server.get("/?q=sluis&sort=date&follow=sluizen");
    let marked: Vec<&str> = html.split("<span class=\"new\">").skip(1).collect();
    assert_eq!(marked.len(), 1, "{html}");
    assert!(marked[0].contains("Kop over zeesluis"), "{}", marked[0]);
    assert!(html.contains("Kop over brug"));

    let (status, _, body) = server.get("/api/follow");
    assert_eq!(status, 200);
    let api: Value = serde_json::from_str(body.lines().next().unwrap()).unwrap();
    let peeked = cli_json(&sandbox, &["follow", "--peek", "--json"]);
    assert_eq!(api["new"], peeked["new"]);
    assert_eq!(api["new"][0]["title"], "Kop over zeesluis");
    // Neither the page nor the API remembered a showing.
    let shown = cli_json(&sandbox, &["follow", "--json"]);
    assert_eq!(shown["new"].as_array().unwrap().len(), 1);
}

/// Chromium and ChromeDriver from Debian, installed when missing (as the README says):
/// the test fails, and says why, where they cannot be had.
fn browser() -> (std::path::PathBuf, std::path::PathBuf) {
    let chromium = std::path::PathBuf::from("/usr/bin/chromium");
    let driver = std::path::PathBuf::from("/usr/bin/chromedriver");
    if !(chromium.exists() && driver.exists()) {
        eprintln!("installing chromium and chromium-driver for the browser test");
        let status = Command::new("sh")
            .arg("-c")
            .arg("(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) >&2")
            .status();
        assert!(
            matches!(status, Ok(s) if s.success()) && chromium.exists() && driver.exists(),
            "the browser test needs Debian's chromium and chromium-driver, and installing them failed: {status:?}"
        );
    }
    (chromium, driver)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn a_browser_searches_filters_narrows_and_reads() {
    let (chromium, driver) = browser();
    let sandbox = indexed();
    // A saved search with one story new since it was saved.
    let output = sandbox
        .run(&["follow", "add", "sluizen", "sluis"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    sandbox.write_page(
        "nieuw/sluis.txt",
        "Nieuwe sluis open\nIJMUIDEN (ANP) - De nieuwe zeesluis bij IJmuiden is dinsdag geopend.\n",
    );
    sandbox.index_pages();
    let server = Server::start(&sandbox);
    let port = free_port();
    let mut chromedriver = Command::new(&driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let profile = tempfile::tempdir().unwrap();
    let outcome = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(drive(&chromium, port, &server.url, profile.path()));
    let _ = chromedriver.kill();
    let _ = chromedriver.wait();
    outcome.unwrap();
}

async fn drive(
    chromium: &std::path::Path,
    port: u16,
    url: &str,
    profile: &std::path::Path,
) -> Result<(), fantoccini::error::CmdError> {
    use fantoccini::{ClientBuilder, Locator};
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".to_string(),
        serde_json::json!({
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", "--window-size=1280,1100",
                format!("--user-data-dir={}", profile.display()),
            ]
        }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("connecting to chromedriver");
    let total = |client: &fantoccini::Client| {
        let client = client.clone();
        async move {
            let element = client.find(Locator::Css("#total")).await?;
            Ok::<u64, fantoccini::error::CmdError>(
                element
                    .attr("data-total")
                    .await?
                    .unwrap_or_default()
                    .parse()
                    .unwrap_or(0),
            )
        }
    };

    // Search.
    client.goto(&format!("{url}/")).await?;
    let search_box = client.find(Locator::Css("#q")).await?;
    search_box.send_keys("Oekraine").await?;
    client
        .find(Locator::Css("form.search button"))
        .await?
        .click()
        .await?;
    client.wait().for_element(Locator::Css("#hits li")).await?;
    let all = total(&client).await?;
    assert_eq!(all, 5, "Oekraine in the fixtures");
    let first_titles = client.find(Locator::Css("#hits")).await?.text().await?;

    // Screenshot of the results page, to look at.
    let shot = client.screenshot().await?;
    let folder = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("results.png"), &shot).unwrap();
    assert!(shot.starts_with(b"\x89PNG"));

    // Click a facet: the count and the list change, and the facet shows as chosen.
    let facet = client
        .find(Locator::Css("a.value[data-facet=agency][data-value=BELGA]"))
        .await?;
    facet.click().await?;
    client
        .wait()
        .for_element(Locator::Css("a.value.on[data-value=BELGA]"))
        .await?;
    let belga = total(&client).await?;
    assert!(belga > 0 && belga < all, "{belga} of {all}");
    let titles = client.find(Locator::Css("#hits")).await?.text().await?;
    assert_ne!(titles, first_titles);
    assert!(
        client
            .current_url()
            .await?
            .as_str()
            .contains("agency=BELGA")
    );
    // And off again.
    client
        .find(Locator::Css("a.value.on[data-value=BELGA]"))
        .await?
        .click()
        .await?;
    client
        .wait()
        .for_element(Locator::Css("a.value[data-value=BELGA]:not(.on)"))
        .await?;
    assert_eq!(total(&client).await?, all);

    // Click a timeline bar: the dates narrow to its period, and its count is the total.
    client.goto(&format!("{url}/?q=*&by=year")).await?;
    let bars = client.find_all(Locator::Css("#timeline a.bar")).await?;
    let mut chosen = None;
    for bar in bars {
        let count: u64 = bar
            .attr("data-count")
            .await?
            .unwrap_or_default()
            .parse()
            .unwrap_or(0);
        if count > 0 {
            chosen = Some((bar, count));
            break;
        }
    }
    let (bar, count) = chosen.expect("a bar with matches");
    let start = bar.attr("data-start").await?.unwrap();
    bar.click().await?;
    // The new page has the period's first day in its date field.
    client
        .wait()
        .for_element(Locator::Css(&format!("#since[value='{start}']")))
        .await?;
    let now = client.current_url().await?;
    assert!(now.as_str().contains(&format!("since={start}")), "{now}");
    assert_eq!(total(&client).await?, count);

    // Open an article: the whole text and the pages it is on.
    client.goto(&format!("{url}/?q=Peskov")).await?;
    client
        .find(Locator::Css("#hits a.title"))
        .await?
        .click()
        .await?;
    client.wait().for_element(Locator::Css("#body")).await?;
    let body = client.find(Locator::Css("#body")).await?.text().await?;
    assert!(body.contains("Peskov"), "{body}");
    let pages = client.find_all(Locator::Css("#pages li")).await?;
    assert!(!pages.is_empty());

    // The hostile page: its title is text, and none of its script ran.
    client.goto(&format!("{url}/?q=Zwolle+brug")).await?;
    let title = client.find(Locator::Css("#hits a.title")).await?;
    assert_eq!(
        title.text().await?,
        "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\"> Raad Zwolle"
    );
    title.click().await?;
    client.wait().for_element(Locator::Css("#title")).await?;
    let ran = client
        .execute(
            "return typeof window.__xss === 'undefined' ? 'nothing' : String(window.__xss);",
            vec![],
        )
        .await?;
    assert_eq!(ran, serde_json::json!("nothing"));
    assert!(client.find(Locator::Css("#body img")).await.is_err());

    // A saved search: listed with what is new, and its new hit marked.
    client.goto(&format!("{url}/")).await?;
    let saved = client
        .find(Locator::Css("#saved a[data-saved=sluizen]"))
        .await?;
    assert_eq!(saved.attr("data-new").await?.as_deref(), Some("1"));
    saved.click().await?;
    client
        .wait()
        .for_element(Locator::Css("#hits .new"))
        .await?;
    let marked = client
        .find(Locator::Css("#hits li .new + a.title"))
        .await?
        .text()
        .await?;
    assert_eq!(marked, "Nieuwe sluis open");
    let mark = client
        .find(Locator::Css("#hits .new"))
        .await?
        .text()
        .await?;
    assert!(mark.starts_with("new since "), "{mark}");
    client.close().await?;
    Ok(())
}

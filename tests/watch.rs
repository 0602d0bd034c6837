//! `dateline index --watch`: pages saved, changed, renamed and deleted while it watches
//! are searchable (or gone) within seconds; a kill loses nothing; Ctrl-C stops cleanly.
//!
//! The waits below are generous limits for a loaded CI machine, not speed checks (the
//! delay is measured by `examples/watch_delay.rs`).

use crate::robustness::committed_ids;
use crate::util::{Sandbox, stderr};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long a change may take to show before a test fails.
const PATIENCE: Duration = Duration::from_secs(30);

/// A running `dateline index --watch`, killed when dropped.
pub struct Watching {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Watching {
    /// Starts watching the sandbox's pages and waits until the first run is committed.
    fn start(sandbox: &Sandbox, extra: &[&str]) -> Watching {
        Watching::on(&sandbox.pages(), sandbox.index().as_os_str(), extra)
    }

    /// Starts watching `pages` into the index at a folder or URL, and waits until the
    /// first run is committed.
    pub fn on(pages: &std::path::Path, index: &std::ffi::OsStr, extra: &[&str]) -> Watching {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("dateline"))
            .arg("index")
            .arg(pages)
            .arg("--index")
            .arg(index)
            .arg("--watch")
            .args(extra)
            .env_remove("DATELINE_INDEX")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting dateline index --watch");
        let stderr = child.stderr.take().unwrap();
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut watching = Watching {
            child,
            lines,
            seen: Vec::new(),
        };
        watching.wait_for_line("watching");
        watching
    }

    /// Waits for a stderr line that contains `text`, and returns it.
    pub fn wait_for_line(&mut self, text: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(text) {
                        return line;
                    }
                }
                Err(_) => break,
            }
        }
        panic!("no line with {text:?} on stderr; saw: {:#?}", self.seen);
    }

    fn pid(&self) -> String {
        self.child.id().to_string()
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until `check` holds, or fails saying what was awaited.
pub fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while Instant::now() < deadline {
        if check() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{what} did not happen within {PATIENCE:?}");
}

pub fn page(title: &str, word: &str) -> String {
    format!(
        "{title}\nLEIDEN (ANP) - In Leiden is dinsdag een {word} gezien in de Hortus, meldt de tuin. Biologen waren verrast door de vondst.\n"
    )
}

fn total(sandbox: &Sandbox, query: &str) -> u64 {
    sandbox.search_json(&[query])["total"].as_u64().unwrap()
}

#[test]
fn pages_saved_renamed_and_deleted_while_watched_are_found_moved_and_gone() {
    let sandbox = Sandbox::new();
    sandbox.write_page("eerste.txt", page("Eerste vondst", "reiger"));
    let mut watching = Watching::start(&sandbox, &[]);
    assert_eq!(total(&sandbox, "reiger"), 1);

    let saved = sandbox.write_page("nieuw/vondst.txt", page("Zeldzame vondst", "zebravink"));
    eventually("a saved page becoming searchable", || {
        total(&sandbox, "zebravink") == 1
    });
    let line = watching.wait_for_line("+1 pages");
    assert!(line.contains("1 articles, 1 new stories"), "{line}");
    let id = sandbox.search_json(&["zebravink"])["hits"][0]["id"].clone();

    let renamed = sandbox.pages().join("nieuw/hernoemd.txt");
    std::fs::rename(&saved, &renamed).unwrap();
    eventually("a renamed page's story moving with it", || {
        let hits = sandbox.search_json(&["zebravink"]);
        hits["total"] == 1 && hits["hits"][0]["sources"][0] == "pages/nieuw/hernoemd.txt"
    });
    assert_eq!(sandbox.search_json(&["zebravink"])["hits"][0]["id"], id);

    std::fs::remove_file(&renamed).unwrap();
    eventually("a deleted page's story going", || {
        total(&sandbox, "zebravink") == 0
    });
    // A folder moved in whole is read whole.
    let elsewhere = sandbox.dir.path().join("elders");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("a.txt"), page("Vondst a", "ijsvogel")).unwrap();
    std::fs::write(
        elsewhere.join("b.txt"),
        page("Vondst b", "ijsvogel kwikstaart"),
    )
    .unwrap();
    std::fs::rename(&elsewhere, sandbox.pages().join("map")).unwrap();
    eventually("a folder moved in being read", || {
        total(&sandbox, "ijsvogel") == 2
    });
    assert_eq!(total(&sandbox, "reiger"), 1);
}

#[test]
fn a_renamed_page_is_not_new_to_a_saved_search() {
    let sandbox = Sandbox::new();
    sandbox.write_page("eerste.txt", page("Eerste vondst", "reiger"));
    let _watching = Watching::start(&sandbox, &[]);
    let follow = |args: &[&str]| {
        let output = sandbox
            .run(&[&["follow", "--json"], args].concat())
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        let line: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("one saved search");
        line["new"].as_array().unwrap().len()
    };
    let output = sandbox
        .run(&["follow", "add", "vogels", "zebravink"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let saved = sandbox.write_page("vondst.txt", page("Zeldzame vondst", "zebravink"));
    eventually("a saved page becoming searchable", || {
        total(&sandbox, "zebravink") == 1
    });
    assert_eq!(follow(&[]), 1);
    std::fs::rename(&saved, sandbox.pages().join("verplaatst.txt")).unwrap();
    eventually("the rename being indexed", || {
        sandbox.search_json(&["zebravink"])["hits"][0]["sources"][0] == "pages/verplaatst.txt"
    });
    assert_eq!(follow(&[]), 0, "a moved page brings nothing new");
}

#[test]
fn a_page_still_being_written_is_read_when_it_is_complete() {
    let sandbox = Sandbox::new();
    sandbox.write_page("eerste.txt", page("Eerste vondst", "reiger"));
    let _watching = Watching::start(&sandbox, &[]);
    let path = sandbox.pages().join("traag.txt");
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all(b"Trage vondst\nLEIDEN (ANP) - In Leiden is een zebravink gezien.")
        .unwrap();
    file.flush().unwrap();
    std::thread::sleep(Duration::from_millis(400));
    file.write_all(b" Biologen waren verrast door de kwikstaart ernaast.\n")
        .unwrap();
    drop(file);
    eventually("the whole page being searchable", || {
        total(&sandbox, "kwikstaart") == 1
    });
    // Never a half page's story beside the whole one.
    assert_eq!(total(&sandbox, "zebravink"), 1);
}

#[test]
fn polling_finds_pages_too() {
    let sandbox = Sandbox::new();
    sandbox.write_page("eerste.txt", page("Eerste vondst", "reiger"));
    let mut watching = Watching::start(&sandbox, &["--poll"]);
    assert!(
        watching.seen.iter().any(|l| l.contains("every 2 s")),
        "{:?}",
        watching.seen
    );
    sandbox.write_page("gepeild.txt", page("Gepeilde vondst", "zebravink"));
    eventually("a page found by polling", || {
        total(&sandbox, "zebravink") == 1
    });
    watching.wait_for_line("+1 pages");
}

#[test]
fn ctrl_c_stops_watching_cleanly_and_a_second_run_is_refused_meanwhile() {
    let sandbox = Sandbox::new();
    sandbox.write_page("eerste.txt", page("Eerste vondst", "reiger"));
    let mut watching = Watching::start(&sandbox, &[]);
    let second = sandbox
        .run(&["index"])
        .arg(sandbox.pages())
        .output()
        .unwrap();
    assert!(!second.status.success());
    assert!(stderr(&second).contains("another indexing run holds the lock"));
    let status = Command::new("kill")
        .args(["-INT", &watching.pid()])
        .status()
        .unwrap();
    assert!(status.success());
    watching.wait_for_line("stopped watching");
    let exit = watching.child.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
}

#[test]
fn a_kill_while_watching_loses_nothing_the_next_run_does_not_finish() {
    let sandbox = Sandbox::new();
    sandbox.write_page("eerste.txt", page("Eerste vondst", "reiger"));
    let mut watching = Watching::start(&sandbox, &[]);
    const PAGES: usize = 40;
    for n in 0..PAGES {
        sandbox.write_page(
            &format!("stroom/pagina-{n:02}.txt"),
            format!(
                "Bericht {n}\nZWOLLE (ANP) - Het eigen verhaal nummer {n} gaat over de gemeenteraad van Zwolle, die lang vergaderde.\n"
            ),
        );
        if n == PAGES / 2 {
            // Some of the pages are committed by now, some not.
            watching.wait_for_line("+");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    watching.child.kill().unwrap();
    watching.child.wait().unwrap();
    // What the kill left is one whole commit, searchable.
    let committed = committed_ids(&sandbox.index());
    assert!(!committed.is_empty() && committed.len() <= PAGES + 1);
    assert!(total(&sandbox, "gemeenteraad") as usize <= PAGES);
    // The next start catches up with what changed while nothing watched.
    let output = sandbox
        .run(&["index"])
        .arg(sandbox.pages())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(committed_ids(&sandbox.index()).len(), PAGES + 1);
    assert_eq!(total(&sandbox, "gemeenteraad"), PAGES as u64);
    assert_eq!(sandbox.article_count(), PAGES as u64 + 1, "no duplicates");
}

//! The index survives kills, interrupts, concurrent runs, damage and hostile input.

use crate::util::{Sandbox, dateline, stderr};
use dateline::index;
use std::collections::HashSet;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// Pages of the kill test: enough for several commits, small enough for a debug build.
const GENERATED_PAGES: usize = 1_200;

/// Writes `count` pages: a lead article each and two wire items shared with other pages.
fn generate_pages(sandbox: &Sandbox, count: usize) {
    let cities = ["AMSTERDAM", "DEN HAAG", "UTRECHT", "ZWOLLE", "GRONINGEN"];
    for n in 0..count {
        let city = cities[n % cities.len()];
        let shared_a = n % 300;
        let shared_b = 1_000 + (n * 7) % 500;
        let page = format!(
            "Kop van bericht {n}\n\
             {city} (ANP) - Het eigen verhaal nummer {n} gaat over de gemeenteraad. De raad vergaderde lang.\n\
             Meer uit Binnenland\n\
             ROTTERDAM (ANP) - Gedeeld bericht {shared_a} over de haven en de schepen.\n\
             {age} minuten geledenARNHEM (ANP/RTR) - Gedeeld bericht {shared_b} over het weer en de wegen.\n\
             2 uur geleden\n",
            age = 1 + n % 50,
        );
        sandbox.write_page(&format!("deel{}/pagina-{n:05}.txt", n % 10), page);
    }
}

/// The story ids in the index at `dir`, after checking that they are exactly the stories
/// of the pages the index's manifest lists: what one commit holds, whole.
pub(crate) fn committed_ids(dir: &Path) -> HashSet<u64> {
    if !dir.join("meta.json").exists() {
        // Killed before the first commit created the index: nothing to check yet.
        return HashSet::new();
    }
    let index = index::open(dir).expect("the index opens after a kill");
    let ids = index::story_ids(&index).expect("story ids");
    let manifest = index::load_manifest(&index, dir).expect("the manifest loads");
    let listed: HashSet<u64> = manifest
        .pages
        .values()
        .flat_map(|p| p.stories.iter().copied())
        .collect();
    assert_eq!(
        ids, listed,
        "the index holds exactly the stories of the pages it lists"
    );
    let hits = dateline::search::run(&index, &dateline::search::Request::new("gedeeld"))
        .expect("searchable");
    assert!(hits.total <= ids.len());
    let stats = index::stats(&index, dir).expect("stats");
    assert_eq!(stats.articles as usize, ids.len(), "no duplicate documents");
    ids
}

fn spawn_index(sandbox: &Sandbox) -> Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("dateline"))
        .arg("index")
        .arg(sandbox.pages())
        .arg("--index")
        .arg(sandbox.index())
        .args(["--commit-interval", "0"])
        .env_remove("DATELINE_INDEX")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting dateline index")
}

#[test]
fn killed_runs_leave_a_committed_state_and_the_next_run_completes_it() {
    let sandbox = Sandbox::new();
    generate_pages(&sandbox, GENERATED_PAGES);
    let started = Instant::now();
    let reference = {
        let reference_dir = sandbox.dir.path().join("reference");
        let summary = index::update(
            &reference_dir,
            &[sandbox.pages()],
            &index::Options::default(),
            &mut |_| {},
        )
        .expect("reference run");
        assert_eq!(summary.pages_read, GENERATED_PAGES);
        index::story_ids(&index::open(&reference_dir).unwrap()).unwrap()
    };
    // 2,000 own stories, 300 + 500 shared ones.
    assert_eq!(reference.len(), GENERATED_PAGES + 800);
    let full_run = started.elapsed().max(Duration::from_millis(200));

    let mut partial_counts = Vec::new();
    for kill in 0..20u32 {
        let index_dir = sandbox.index();
        let _ = std::fs::remove_dir_all(&index_dir);
        let mut child = spawn_index(&sandbox);
        std::thread::sleep(full_run * kill / 16);
        let _ = child.kill();
        let _ = child.wait();
        let committed = committed_ids(&index_dir);
        assert!(committed.is_subset(&reference));
        partial_counts.push(committed.len());

        let output = sandbox
            .run(&["index"])
            .arg(sandbox.pages())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "re-run after kill {kill}: {}",
            stderr(&output)
        );
        assert_eq!(committed_ids(&index_dir), reference, "after kill {kill}");
    }
    // The kills fell at different stages: before, between and after commits.
    let distinct: HashSet<usize> = partial_counts.iter().copied().collect();
    eprintln!("articles committed at the 20 kills: {partial_counts:?}");
    assert!(distinct.len() >= 3, "{partial_counts:?}");
}

#[test]
fn interrupt_commits_what_is_done_and_exits_non_zero() {
    // Enough pages that the run is still going when the signal comes.
    const PAGES: usize = 4 * GENERATED_PAGES;
    let sandbox = Sandbox::new();
    generate_pages(&sandbox, PAGES);
    let child = spawn_index(&sandbox);
    std::thread::sleep(Duration::from_millis(500));
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.contains("interrupted; what was indexed is committed"),
        "{message}"
    );
    let committed = committed_ids(&sandbox.index());
    assert!(committed.len() < PAGES + 800, "the run was stopped early");
    sandbox.index_pages();
    assert_eq!(committed_ids(&sandbox.index()).len(), PAGES + 800);
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn a_second_indexing_run_fails_at_once_and_changes_nothing() {
    let sandbox = Sandbox::new();
    sandbox.add_seed("seed.txt");
    sandbox.index_pages();
    let before = committed_ids(&sandbox.index());
    sandbox.write_page("new.txt", "Nieuw\nZWOLLE (ANP) - Een nieuw bericht.\n");
    let _held = index::lock(&sandbox.index()).expect("taking the lock");
    for rebuild in [false, true] {
        let mut command = sandbox.run(&["index"]);
        command.arg(sandbox.pages());
        if rebuild {
            command.arg("--rebuild");
        }
        let output = command.output().unwrap();
        assert_eq!(output.status.code(), Some(1));
        let message = stderr(&output);
        assert!(
            message.contains("another indexing run holds the lock on"),
            "{message}"
        );
        assert_eq!(message.lines().count(), 1, "{message}");
    }
    // Searching while a run holds the lock answers from the last commit.
    assert_eq!(sandbox.search_json(&["Burnham"])["total"], 1);
    assert_eq!(committed_ids(&sandbox.index()), before);
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn an_index_of_another_format_asks_for_a_rebuild() {
    let sandbox = Sandbox::new();
    sandbox.add_seed("seed.txt");
    sandbox.index_pages();
    std::fs::write(sandbox.index().join("dateline.json"), r#"{"format":0}"#).unwrap();
    let output = sandbox.run(&["search", "Burnham"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains(
        "incompatible version of dateline; rebuild it with 'dateline index --rebuild <folder>'"
    ));
    let output = sandbox
        .run(&["index", "--rebuild"])
        .arg(sandbox.pages())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(sandbox.search_json(&["Burnham"])["total"], 1);
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn damaged_segment_files_give_a_clear_error() {
    for damage in ["truncate", "delete"] {
        let sandbox = Sandbox::new();
        sandbox.add_seed("seed.txt");
        sandbox.index_pages();
        let segment_file = std::fs::read_dir(sandbox.index())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == "idx"))
            .expect("a segment file");
        match damage {
            "truncate" => std::fs::File::options()
                .write(true)
                .open(&segment_file)
                .and_then(|f| f.set_len(10))
                .unwrap(),
            _ => std::fs::remove_file(&segment_file).unwrap(),
        }
        for args in [&["search", "Burnham"][..], &["stats"]] {
            let output = sandbox.run(args).output().unwrap();
            let message = stderr(&output);
            assert_eq!(output.status.code(), Some(1), "{damage}: {message}");
            assert!(
                message.contains("the index is damaged"),
                "{damage}: {message}"
            );
            assert!(!message.contains("panicked"), "{damage}: {message}");
        }
    }
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn hostile_pages_are_skipped_or_indexed_without_a_crash() {
    let sandbox = Sandbox::new();
    sandbox.add_seed("seed.txt");
    sandbox.write_page("leeg.txt", "");
    sandbox.write_page(
        "binair.txt",
        (0..4096u32)
            .map(|i| (i * 31 % 256) as u8)
            .collect::<Vec<u8>>(),
    );
    sandbox.write_page(
        "ongeldig.txt",
        b"Kop\nDEN HAAG (ANP) - Caf\xe9 in Oekra\xefne \xff\xfe gesloten.\n",
    );
    let long_line = format!(
        "Lange regel\nUTRECHT (ANP) - {}\n",
        "woord ".repeat(2_000_000)
    );
    sandbox.write_page("lange-regel.txt", long_line);
    sandbox.write_page(
        "diep.html",
        format!(
            "{}tekst{}",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        ),
    );
    let attributes: String = (0..1_000_000).map(|i| format!(" a{i}=\"x\"")).collect();
    sandbox.write_page(
        "attributen.html",
        format!("<html><body><p{attributes}>tekst</p></body></html>"),
    );
    // A 200 MB page (sparse, so the test writes nothing): over the size limit.
    let huge = sandbox.write_page("enorm.txt", "");
    std::fs::File::options()
        .write(true)
        .open(&huge)
        .unwrap()
        .set_len(200_000_000)
        .unwrap();
    // Links that lead nowhere or in circles.
    std::os::unix::fs::symlink(
        sandbox.pages().join("nergens.txt"),
        sandbox.pages().join("kapot.txt"),
    )
    .unwrap();
    std::fs::create_dir_all(sandbox.pages().join("lus")).unwrap();
    std::os::unix::fs::symlink(sandbox.pages(), sandbox.pages().join("lus/terug")).unwrap();
    // A name that is not UTF-8.
    let odd_name: &std::ffi::OsStr = std::os::unix::ffi::OsStrExt::from_bytes(b"vreemd-\xff.txt");
    std::fs::write(
        sandbox.pages().join(odd_name),
        "Vreemde naam\nLEIDEN (ANP) - Een pagina met een vreemde naam.\n",
    )
    .unwrap();

    let started = Instant::now();
    let output = sandbox
        .run(&["index", "--verbose"])
        .arg(sandbox.pages())
        .output()
        .unwrap();
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    assert!(!message.contains("panicked"), "{message}");
    let warnings: Vec<&str> = message
        .lines()
        .filter(|l| l.starts_with("dateline: warning:"))
        .collect();
    for (file, why) in [
        ("leeg.txt", "no text"),
        ("diep.html", "nested over 1,000 levels"),
        ("attributen.html", "tag is over 64 KB"),
        ("enorm.txt", "over the page size limit"),
        ("kapot.txt", "No such file"),
        ("lus/terug", "symbolic link loop"),
    ] {
        assert!(
            warnings.iter().any(|w| w.contains(file) && w.contains(why)),
            "no warning for {file} ({why}) in:\n{message}"
        );
    }
    // The binary file is left out without a warning.
    let left_out: Vec<&str> = message
        .lines()
        .filter(|l| l.starts_with("dateline: left out:"))
        .collect();
    assert!(
        left_out.len() == 1 && left_out[0].ends_with("binair.txt: a binary file"),
        "{message}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "hostile pages took {:?}",
        started.elapsed()
    );
    // The readable ones are indexed: the sample page, the windows-1252 one, the long line
    // and the odd name.
    assert_eq!(
        sandbox.search_json(&["Oekraine", "--city", "den haag"])["total"],
        1
    );
    assert_eq!(sandbox.search_json(&["vreemde"])["total"], 1);
    assert_eq!(
        sandbox.search_json(&["woord", "--city", "utrecht"])["total"],
        1
    );
    assert_eq!(sandbox.search_json(&["Burnham"])["total"], 1);
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn a_page_that_vanishes_keeps_nothing_stale_and_loses_nothing() {
    let sandbox = Sandbox::new();
    let page = sandbox.add_seed("seed.txt");
    sandbox.index_pages();
    // A page that cannot be read any more keeps what the index has of it ...
    std::fs::remove_file(&page).unwrap();
    std::os::unix::fs::symlink(sandbox.pages().join("weg.txt"), &page).unwrap();
    let output = sandbox
        .run(&["index"])
        .arg(sandbox.pages())
        .output()
        .unwrap();
    assert!(stderr(&output).contains("seed.txt"));
    assert_eq!(sandbox.article_count(), 8);
    // ... and a page that is gone takes its articles with it.
    std::fs::remove_file(&page).unwrap();
    sandbox.index_pages();
    assert_eq!(sandbox.article_count(), 0);
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn hostile_queries_are_errors_or_results_never_panics() {
    let sandbox = Sandbox::new();
    sandbox.add_seed("seed.txt");
    sandbox.index_pages();
    let many_terms = vec!["woord"; 10_000].join(" ");
    let cases: [(&str, Option<i32>); 10] = [
        ("", Some(2)),
        (&many_terms, Some(0)),
        ("\"open quote", Some(0)),
        ("(open (paren", Some(0)),
        ("close)", Some(0)),
        ("-", Some(2)),
        ("-Burnham", Some(0)),
        ("nosuchfield:x", Some(0)),
        ("*", Some(0)),
        ("\u{1}\u{2}\u{7f}", Some(2)),
    ];
    for (query, code) in cases {
        let output = dateline()
            .args(["search", query, "--index"])
            .arg(sandbox.index())
            .output()
            .unwrap();
        let message = stderr(&output);
        assert_eq!(output.status.code(), code, "{:.40?}: {message}", query);
        assert!(!message.contains("panicked"), "{:.40?}: {message}", query);
    }
}

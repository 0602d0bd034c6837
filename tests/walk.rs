//! Only pages are read (issue 12): what `dateline index` leaves out of real saved folders,
//! and why; `--glob`, `--exclude` and `--verbose`; sources that name the folder given.

use crate::util::{Sandbox, counts, repo, stderr};
use dateline::index::{LeftOut, Options};

/// `fixtures/opgeslagen`: a page saved "complete" (`Artikel.html` and its
/// `Artikel_files/`), and the notes of whoever saved it.
#[test]
fn a_saved_page_folder_gives_its_one_article_and_leaves_out_the_rest() {
    let sandbox = Sandbox::new();
    let run = sandbox.update_paths(&[repo().join("fixtures/opgeslagen")], &Options::default());
    let summary = &run.summary;
    assert_eq!(summary.pages_read, 1, "{summary:?}");
    assert_eq!(summary.articles_read, 1, "{summary:?}");
    assert!(run.warnings.is_empty(), "{:?}", run.warnings);
    assert_eq!(
        summary.left_out,
        counts(&[
            (LeftOut::SavedPageAssets, 1),
            (LeftOut::Content("text that is not a news page"), 1),
        ])
    );
    let hits = sandbox.search_json(&["banencijfers"]);
    assert_eq!(hits["total"], 1, "{hits}");
    assert_eq!(
        hits["hits"][0]["title"],
        "Wall Street sluit lager na zwakke banencijfers"
    );
    assert_eq!(
        hits["hits"][0]["sources"],
        serde_json::json!(["opgeslagen/Artikel.html"])
    );
    // Nothing of the scripts, styles or JSON-LD beside it is in the index.
    for word in ["bbTrack", "Georgia", "schema"] {
        assert_eq!(sandbox.matches_as_typed(word), 0, "{word}");
    }
}

/// The same folder's files one by one, out of their asset folder: each is left out by
/// its name.
#[test]
fn loose_assets_are_left_out_by_name() {
    let sandbox = Sandbox::new();
    let assets = repo().join("fixtures/opgeslagen/Artikel_files");
    for entry in std::fs::read_dir(&assets).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        sandbox.write_page(&name, std::fs::read(entry.path()).unwrap());
    }
    sandbox.write_page("lettertype.woff2", b"wOF2\x00\x01\x00\x00");
    sandbox.write_page("opname.mp3", b"ID3\x04\x00\x00\x00\x00");
    let run = sandbox.update();
    assert_eq!(run.summary.pages_read, 0, "{:?}", run.summary);
    assert_eq!(
        run.summary.left_out,
        counts(&[
            (LeftOut::Script, 1),
            (LeftOut::Style, 1),
            (LeftOut::Image, 1),
            (LeftOut::Font, 1),
            (LeftOut::Data, 1),
            (LeftOut::Media, 1),
        ])
    );
}

#[test]
fn gitignore_is_honoured_in_a_folder_that_is_not_a_git_repository() {
    let sandbox = Sandbox::new();
    sandbox.write_page(".gitignore", "archief/\n*.tmp.txt\n");
    sandbox.write_page(
        "nu.txt",
        page("Nieuwe brug open", "De nieuwe brug is open."),
    );
    sandbox.write_page(
        "archief/oud.txt",
        page("Oude brug dicht", "De oude brug is dicht."),
    );
    sandbox.write_page("half.tmp.txt", page("Brug half af", "De brug is half af."));
    let run = sandbox.update();
    assert_eq!(run.summary.pages_read, 1, "{:?}", run.summary);
    assert_eq!(
        run.summary.left_out,
        counts(&[(LeftOut::Hidden, 1), (LeftOut::IgnoreRule, 2)])
    );
    assert_eq!(sandbox.matches_as_typed("brug"), 1);
}

/// A short text page with a dateline, so that the extractor takes it for news.
fn page(title: &str, body: &str) -> String {
    format!("{title}\nZWOLLE (ANP) - {body} Dat meldt de gemeente.\n")
}

/// The same as a saved HTML page.
fn html_page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"nl\"><head><title>{title}</title></head><body>\
         <h1>{title}</h1><p>ZWOLLE (ANP) - {body} Dat meldt de gemeente.</p></body></html>\n"
    )
}

#[test]
fn glob_and_exclude_choose_the_files_as_in_ripgrep() {
    let sandbox = Sandbox::new();
    sandbox.write_page("2025/a.txt", page("Haven groeit", "De haven groeit."));
    sandbox.write_page("2025/b.html", html_page("Haven krimpt", "De haven krimpt."));
    sandbox.write_page("2026/c.txt", page("Haven bloeit", "De haven bloeit."));
    let pages_read = |args: &[&str]| {
        let output = sandbox
            .run(&["index", "--rebuild"])
            .arg(sandbox.pages())
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        sandbox.search_json(&["haven"])["total"].as_u64().unwrap()
    };
    assert_eq!(pages_read(&[]), 3);
    assert_eq!(pages_read(&["--glob", "*.txt"]), 2);
    assert_eq!(pages_read(&["-g", "2025/**"]), 2);
    assert_eq!(pages_read(&["--exclude", "2025/"]), 1);
    assert_eq!(pages_read(&["--glob", "!*.html"]), 2);
    // --exclude wins over --glob.
    assert_eq!(pages_read(&["--glob", "*.txt", "--exclude", "2026/"]), 1);

    let output = sandbox
        .run(&["index"])
        .arg(sandbox.pages())
        .args(["--glob", "a["])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("bad glob"), "{}", stderr(&output));
}

/// `index dupA dupB`: two `page.html` files are two sources, each with its folder's name.
#[test]
fn two_pages_of_one_name_in_two_folders_have_different_sources() {
    let sandbox = Sandbox::new();
    let text = html_page("Dijk wordt versterkt", "De dijk wordt versterkt.");
    sandbox.write_page("dupA/page.html", &text);
    sandbox.write_page("dupB/page.html", &text);
    let output = sandbox
        .run(&["index"])
        .arg(sandbox.pages().join("dupA"))
        .arg(sandbox.pages().join("dupB"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let hits = sandbox.search_json(&["dijk"]);
    assert_eq!(hits["total"], 1);
    assert_eq!(
        hits["hits"][0]["sources"],
        serde_json::json!(["dupA/page.html", "dupB/page.html"])
    );
}

#[test]
fn verbose_lists_what_is_left_out_and_why() {
    let sandbox = Sandbox::new();
    let folder = repo().join("fixtures/opgeslagen");
    let output = sandbox
        .run(&["index", "--verbose"])
        .arg(&folder)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let stderr = stderr(&output);
    let mut listed: Vec<&str> = stderr
        .lines()
        .filter_map(|line| line.strip_prefix("dateline: left out: "))
        .collect();
    listed.sort();
    let folder = std::fs::canonicalize(folder).unwrap();
    assert_eq!(
        listed,
        [
            format!(
                "{}/: a saved page's asset folder",
                folder.join("Artikel_files").display()
            ),
            format!(
                "{}: text that is not a news page",
                folder.join("notes.md").display()
            ),
        ],
        "{stderr}"
    );

    let quiet = sandbox
        .run(&["index", "--rebuild"])
        .arg(&folder)
        .output()
        .unwrap();
    assert!(!crate::util::stderr(&quiet).contains("left out: /"));
}

/// build.rs sets `has_shared` exactly when `../shared` is beside the repo, and integration
/// tests see it: the tests that need it are ignored without it, not passed.
#[test]
fn the_has_shared_cfg_says_whether_shared_is_beside_the_repo() {
    let shared = repo().join("../shared");
    let present = shared.join("seed-page.txt").is_file() && shared.join("corpus").is_dir();
    assert_eq!(cfg!(has_shared), present);
}

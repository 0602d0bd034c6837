//! `dateline index`: counts, re-indexing, changed and deleted pages, reopening.

use crate::util::{FIXTURE_AND_SEED_PAGES, FIXTURE_AND_SEED_STORIES, Sandbox, counts, stderr};
use dateline::index::LeftOut;
use std::fs;

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn fixtures_and_sample_page_index_into_stories() {
    let sandbox = Sandbox::new().with_fixtures_and_seed();
    let run = sandbox.update();
    let summary = &run.summary;
    assert_eq!(summary.pages_read, FIXTURE_AND_SEED_PAGES, "{summary:?}");
    assert_eq!(summary.articles_read, 129, "{summary:?}");
    assert_eq!(summary.articles_deduplicated, 8, "{summary:?}");
    assert_eq!(summary.stories_written, 121, "{summary:?}");
    assert_eq!(summary.pages_skipped, 0, "{:?}", run.warnings);
    // tests/fixtures.md, "What is left out".
    assert_eq!(
        summary.left_out,
        counts(&[
            (LeftOut::Hidden, 2),
            (LeftOut::IgnoreRule, 1),
            (LeftOut::DatelineIndex, 1),
            (LeftOut::SavedPageAssets, 1),
            (LeftOut::Content("a PNG image"), 1),
            (LeftOut::Content("text that is not a news page"), 1),
        ]),
        "{:?}",
        run.left_out
    );
    assert_eq!(summary.articles_in_index, FIXTURE_AND_SEED_STORIES);
    assert_eq!(sandbox.article_count(), FIXTURE_AND_SEED_STORIES);
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn reindexing_unchanged_pages_changes_nothing() {
    let sandbox = Sandbox::new().with_fixtures_and_seed();
    sandbox.update();
    let summary = sandbox.update().summary;
    assert_eq!(summary.pages_read, 0, "{summary:?}");
    assert_eq!(
        summary.pages_unchanged, FIXTURE_AND_SEED_PAGES,
        "{summary:?}"
    );
    assert_eq!(sandbox.article_count(), FIXTURE_AND_SEED_STORIES);

    // Touched but identical pages are not extracted again either.
    for entry in walkdir::WalkDir::new(sandbox.pages()).into_iter().flatten() {
        if entry.file_type().is_file() {
            crate::util::set_modified(entry.path(), std::time::SystemTime::now());
        }
    }
    let summary = sandbox.update().summary;
    assert_eq!(summary.pages_read, 0, "{summary:?}");
    assert_eq!(sandbox.article_count(), FIXTURE_AND_SEED_STORIES);
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn a_story_on_several_pages_is_one_article_with_all_sources() {
    let sandbox = Sandbox::new();
    sandbox.add_seed("a/seed.txt");
    sandbox.add_seed("b/seed.txt");
    sandbox.index_pages();
    assert_eq!(sandbox.article_count(), 8);
    let hits = sandbox.search_json(&["Burnham"]);
    assert_eq!(hits["total"], 1);
    assert_eq!(
        hits["hits"][0]["sources"],
        serde_json::json!(["pages/a/seed.txt", "pages/b/seed.txt"])
    );
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn the_smallest_age_gives_the_time_of_a_shared_story() {
    let sandbox = Sandbox::new();
    sandbox.add_seed("early.txt");
    // The same Burnham item, saved an hour later and 2 hours old by then.
    let later = fs::read_to_string(crate::util::seed_page())
        .unwrap()
        .replacen("7 minuten geleden", "2 uur geleden", 1);
    let page = sandbox.write_page("later.txt", later);
    crate::util::set_modified(
        &page,
        crate::util::seed_time() + std::time::Duration::from_secs(3600),
    );
    sandbox.index_pages();
    let hits = sandbox.search_json(&["Burnham"]);
    assert_eq!(hits["hits"][0]["published"], "2026-01-25T11:53:00Z");
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn changed_page_replaces_its_articles_and_deleted_page_takes_its_own() {
    let sandbox = Sandbox::new();
    sandbox.add_seed("a.txt");
    sandbox.add_seed("b.txt");
    let own = sandbox.write_page(
        "c.txt",
        "Gemeente plant nieuwe fietsbrug\nVLISSINGEN - De gemeente wil een fietsbrug over het kanaal bouwen.\n",
    );
    sandbox.index_pages();
    assert_eq!(sandbox.article_count(), 9);

    // A changed page: its old story goes, the new one comes.
    fs::write(
        &own,
        "Gemeente schrapt fietsbrug\nVLISSINGEN - De gemeente ziet af van de fietsbrug over het kanaal.\n",
    )
    .unwrap();
    let summary = sandbox.update().summary;
    assert_eq!(summary.pages_read, 1, "{summary:?}");
    assert_eq!(sandbox.matches_as_typed("bouwen"), 0);
    assert_eq!(sandbox.matches_as_typed("schrapt"), 1);
    assert_eq!(sandbox.article_count(), 9);

    // A deleted page: stories only it had go; shared stories stay with one source less.
    fs::remove_file(&own).unwrap();
    fs::remove_file(sandbox.pages().join("b.txt")).unwrap();
    let summary = sandbox.update().summary;
    assert_eq!(summary.pages_removed, 2, "{summary:?}");
    assert_eq!(sandbox.article_count(), 8);
    assert_eq!(sandbox.matches_as_typed("schrapt"), 0);
    assert_eq!(
        sandbox.search_json(&["Burnham"])["hits"][0]["sources"],
        serde_json::json!(["pages/a.txt"])
    );
}

#[test]
fn reopened_index_still_stems() {
    // tantivy does not save tokenizers with an index (tantivy #2078): create, drop,
    // reopen, and the Dutch analyzer must still be there.
    let sandbox = Sandbox::new();
    sandbox.write_page(
        "fabriek.txt",
        "Staal onder druk\nIJMUIDEN (ANP) - De fabrieken van het staalbedrijf draaien op halve kracht.\n",
    );
    let options = dateline::index::Options::default();
    dateline::index::update(&sandbox.index(), &[sandbox.pages()], &options, &mut |_| {}).unwrap();
    let index = dateline::index::open(&sandbox.index()).unwrap();
    let hits = dateline::search::run(&index, &dateline::search::Request::new("fabriek")).unwrap();
    assert_eq!(hits.total, 1);
    assert_eq!(hits.hits[0].title, "Staal onder druk");
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn binary_and_unreadable_pages_are_skipped_and_the_rest_indexed() {
    let sandbox = Sandbox::new();
    sandbox.add_seed("seed.txt");
    sandbox.write_page("photo.jpg", b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00");
    sandbox.write_page("scan", b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n");
    sandbox.write_page("empty.txt", "");
    let output = sandbox
        .run(&["index"])
        .arg(sandbox.pages())
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = stderr(&output);
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning")).collect();
    assert_eq!(warnings.len(), 1, "{stderr}");
    assert!(
        warnings[0].contains("empty.txt") && warnings[0].contains("no text"),
        "{stderr}"
    );
    assert_eq!(sandbox.article_count(), 8);

    let summary = sandbox.update_paths(&[sandbox.pages()], &rebuild()).summary;
    assert_eq!(summary.pages_skipped, 1, "{summary:?}");
    // A photo by its name, a PDF without a name by its content.
    assert_eq!(
        summary.left_out,
        counts(&[(LeftOut::Image, 1), (LeftOut::Content("a PDF"), 1)])
    );
}

fn rebuild() -> dateline::index::Options {
    dateline::index::Options {
        rebuild: true,
        ..dateline::index::Options::default()
    }
}

/// A page under two of the paths given is read once, and shown as the first path given
/// names it: relative to the folder with the folder's name, or with its own folder's.
#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn a_page_given_twice_is_read_once_under_the_first_name() {
    let sandbox = Sandbox::new();
    let page = sandbox.add_seed("buitenland/seed.txt");
    let sources = |first: &std::path::Path, second: &std::path::Path| {
        let run = sandbox.update_paths(&[first.to_path_buf(), second.to_path_buf()], &rebuild());
        assert_eq!(run.summary.pages_read, 1, "{:?}", run.summary);
        let hits = sandbox.search_json(&["Peskov"]);
        assert_eq!(hits["total"], 2, "{hits}");
        hits["hits"][0]["sources"].clone()
    };
    assert_eq!(
        sources(&sandbox.pages(), &page),
        serde_json::json!(["pages/buitenland/seed.txt"])
    );
    assert_eq!(
        sources(&page, &sandbox.pages()),
        serde_json::json!(["buitenland/seed.txt"])
    );
}

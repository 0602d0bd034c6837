//! User errors: clear messages and exit code 2, never a panic.

use crate::util::{Sandbox, dateline, stderr};

#[test]
fn no_index_yet_says_what_to_do() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["search", "Kim"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("no index at"), "{message}");
    assert!(
        message.contains("run 'dateline index <folder>' first"),
        "{message}"
    );
    assert!(!message.contains("panicked"), "{message}");
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn default_index_comes_from_the_environment() {
    let sandbox = Sandbox::new();
    sandbox.add_seed("seed.txt");
    sandbox.index_pages();
    let output = dateline()
        .args(["search", "Burnham", "--json"])
        .env("DATELINE_INDEX", sandbox.index())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn bad_queries_are_usage_errors() {
    let sandbox = Sandbox::new();
    sandbox.add_seed("seed.txt");
    sandbox.index_pages();
    // Only an empty query, one with no words at all, and a field prefix with nothing
    // after it are wrong; everything else is words (tests/search.rs).
    for query in ["", "   ", "!!! ?", "title:", "Peskov body: "] {
        let output = sandbox.run(&["search", query]).output().unwrap();
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{query:?}: {message}");
        assert!(message.starts_with("dateline: "), "{query:?}: {message}");
        assert_eq!(message.lines().count(), 1, "{query:?}: {message}");
    }
}

#[test]
fn bad_flag_values_are_usage_errors() {
    let sandbox = Sandbox::new();
    for args in [
        &["search", "x", "--limit", "0"][..],
        &["search", "x", "--sort", "score"],
        &["search", "x", "--since", "yesterday"],
    ] {
        let output = sandbox.run(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!stderr(&output).contains("panicked"));
    }
}

#[test]
fn indexing_a_missing_folder_is_a_usage_error() {
    let sandbox = Sandbox::new();
    let output = sandbox.run(&["index", "/no/such/folder"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot read /no/such/folder"));
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn a_folder_that_is_not_an_index_is_left_alone() {
    let sandbox = Sandbox::new();
    sandbox.add_seed("seed.txt");
    std::fs::create_dir_all(sandbox.index()).unwrap();
    std::fs::write(sandbox.index().join("notes.txt"), "mine").unwrap();
    let output = sandbox
        .run(&["index"])
        .arg(sandbox.pages())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("is not a dateline index"));
    let left: Vec<_> = std::fs::read_dir(sandbox.index()).unwrap().collect();
    assert_eq!(left.len(), 1);
}

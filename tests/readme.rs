//! The README's examples, run (issue 13): every ``` block whose first line starts with
//! `$ ` holds commands and what they print. The commands run in the repo, as the README
//! tells a reader to, with `dateline` (and `cargo run --release --`) being the binary
//! under test and `$DATELINE_INDEX` a fresh index. Times, durations and this machine's
//! paths differ from the README's and are compared as `<time>`, `<s>`, `~/dateline` and
//! `~/shared`. A line `…` stands for any lines; a line that ends with `…` for any line
//! that starts like it.

use crate::util::{Sandbox, repo};
use regex::Regex;
use std::process::Command;

/// Commands and their expected output, in README order.
fn examples(readme: &str) -> Vec<(String, Vec<String>)> {
    let mut examples: Vec<(String, Vec<String>)> = Vec::new();
    let mut in_block = false;
    let mut in_example = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_block = !in_block;
            in_example = false;
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ") {
            in_example = true;
            examples.push((command.to_string(), Vec::new()));
        } else if in_example && let Some((_, expected)) = examples.last_mut() {
            expected.push(line.to_string());
        }
    }
    // The blank line between two examples in a block belongs to neither.
    for (_, expected) in &mut examples {
        while expected.last().is_some_and(|l| l.is_empty()) {
            expected.pop();
        }
    }
    examples
}

fn normalize(text: &str) -> String {
    let repo_dir = std::fs::canonicalize(repo()).unwrap();
    let shared = std::fs::canonicalize(repo().join("../shared")).unwrap();
    let time = Regex::new(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} CES?T").unwrap();
    let seconds = Regex::new(r"in \d+(\.\d+)? s:").unwrap();
    let text = text
        .replace(&*repo_dir.to_string_lossy(), "~/dateline")
        .replace(&*shared.to_string_lossy(), "~/shared");
    let text = time.replace_all(&text, "<time>");
    seconds.replace_all(&text, "in <s> s:").into_owned()
}

/// Whether `actual` is what `expected` says, `…` lines and `…` ends as wildcards.
fn matches(expected: &[&str], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((&"…", rest)) => (0..=actual.len()).any(|skip| matches(rest, &actual[skip..])),
        Some((line, rest)) => actual.split_first().is_some_and(|(first, others)| {
            let same = match line.strip_suffix('…') {
                Some(start) => first == line || first.starts_with(start),
                None => first == line,
            };
            same && matches(rest, others)
        }),
    }
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn the_readme_examples_print_what_the_readme_says() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let examples = examples(&readme);
    assert!(examples.len() >= 10, "{} examples found", examples.len());
    assert!(
        examples[0].0.contains(" index fixtures "),
        "the first example makes the index: {:?}",
        examples[0].0
    );
    let sandbox = Sandbox::new();
    let binary = assert_cmd::cargo::cargo_bin("dateline");
    let bin_dir = binary.parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for (command, expected) in &examples {
        let command = command.replacen("cargo run --release --", "dateline", 1);
        let output = Command::new("sh")
            .arg("-c")
            .arg(format!("{command} 2>&1"))
            .current_dir(repo())
            .env("PATH", &path)
            .env("DATELINE_INDEX", sandbox.index())
            .env_remove("NO_COLOR")
            .env_remove("COLUMNS")
            .output()
            .unwrap();
        let actual = normalize(&String::from_utf8_lossy(&output.stdout));
        let expected = normalize(&expected.join("\n"));
        let actual_lines: Vec<&str> = actual.trim_end().lines().collect();
        let expected_lines: Vec<&str> = expected.lines().collect();
        assert!(
            matches(&expected_lines, &actual_lines),
            "README example `$ {command}`\n--- README says\n{expected}\n--- it prints\n{actual}"
        );
    }
}

#[test]
fn wildcards_stand_for_lines_and_line_ends() {
    assert!(matches(&["a", "…", "d"], &["a", "b", "c", "d"]));
    assert!(matches(&["a", "…"], &["a"]));
    assert!(matches(&["ab…"], &["abc"]));
    assert!(!matches(&["a", "d"], &["a", "b", "d"]));
    assert!(!matches(&["ab…"], &["ac"]));
}

//! A fresh temp folder per test, the binary with a clean environment, and helpers to
//! read its output.

pub mod cluster;

use assert_cmd::Command;
use dateline::index::{self, LeftOut, Summary};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The repo root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The sample page, which stays in `../shared` (tests read it from there).
pub fn seed_page() -> PathBuf {
    let path = repo().join("../shared/seed-page.txt");
    assert!(
        path.is_file(),
        "the sample page is missing at {}: check out shared/ beside the repo",
        path.display()
    );
    path
}

/// 2026-01-25T12:00:00Z, the page time the tests give the sample page.
pub fn seed_time() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_769_342_400)
}

/// Articles the fixtures plus the sample page give: 72 read from the text fixtures, 34
/// from the HTML ones and 1 from the saved page (tests/fixtures.md), 8 from the sample
/// page; 8 of them a story already read from another page.
pub const FIXTURE_AND_SEED_STORIES: u64 = 121;

/// Pages in the fixtures plus the sample page.
pub const FIXTURE_AND_SEED_PAGES: usize = 36;

/// One index of the fixtures and the sample page, shared by the tests that only read it.
pub fn indexed_fixtures() -> &'static Sandbox {
    static SANDBOX: std::sync::OnceLock<Sandbox> = std::sync::OnceLock::new();
    SANDBOX.get_or_init(|| {
        let sandbox = Sandbox::new().with_fixtures_and_seed();
        sandbox.index_pages();
        sandbox
    })
}

/// A test's own folder: an index location and a pages folder.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("creating a temp dir"),
        }
    }

    pub fn index(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    pub fn pages(&self) -> PathBuf {
        self.dir.path().join("pages")
    }

    /// Copies the fixtures and the sample page (page time 2026-01-25T12:00:00Z) into the
    /// pages folder.
    pub fn with_fixtures_and_seed(self) -> Sandbox {
        copy_tree(&repo().join("fixtures"), &self.pages());
        self.add_seed("buitenland/seed.txt");
        self
    }

    /// Copies the sample page to `pages/<relative>` with the test page time.
    pub fn add_seed(&self, relative: &str) -> PathBuf {
        let target = self.pages().join(relative);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(seed_page(), &target).unwrap();
        set_modified(&target, seed_time());
        target
    }

    /// Writes a page into the pages folder.
    pub fn write_page(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let target = self.pages().join(relative);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(&target, contents).unwrap();
        target
    }

    /// `dateline <args> --index <this index>`, for commands that take `--index`.
    pub fn run(&self, args: &[&str]) -> Command {
        let mut command = dateline();
        command.args(args).arg("--index").arg(self.index());
        command
    }

    /// Runs `dateline <args> --index <this index>`, checks it succeeded, and returns its
    /// stdout.
    pub fn run_ok(&self, args: &[&str]) -> String {
        let output = self.run(args).output().unwrap();
        assert!(
            output.status.success(),
            "{args:?} failed: {}",
            stderr(&output)
        );
        stdout(&output)
    }

    /// Indexes the pages folder, checks it succeeded, and returns its stderr.
    pub fn index_pages(&self) -> String {
        let output = self
            .run(&["index"])
            .arg(self.pages())
            .output()
            .expect("running dateline index");
        assert!(output.status.success(), "index failed: {}", stderr(&output));
        stderr(&output)
    }

    /// Indexes the pages folder through the library (`dateline::index::update`).
    pub fn update(&self) -> Run {
        self.update_paths(&[self.pages()], &index::Options::default())
    }

    /// Indexes `paths` through the library, with these options.
    pub fn update_paths(&self, paths: &[PathBuf], options: &index::Options) -> Run {
        let mut warnings = Vec::new();
        let mut left_out = BTreeMap::new();
        let base = fs::canonicalize(self.dir.path()).unwrap();
        let summary = index::update(&self.index(), paths, options, &mut |event| match event {
            index::Event::Warning { path, message } => {
                warnings.push(format!("{}: {message}", path.display()));
            }
            index::Event::LeftOut { path, reason } => {
                let shown = path.strip_prefix(&base).unwrap_or(path);
                left_out.insert(shown.display().to_string(), reason);
            }
            _ => {}
        })
        .expect("indexing");
        Run {
            summary,
            warnings,
            left_out,
        }
    }

    /// `search --json` and its parsed output.
    pub fn search_json(&self, args: &[&str]) -> serde_json::Value {
        let output = self
            .run(&["search", "--json"])
            .args(args)
            .output()
            .expect("running dateline search");
        assert!(
            output.status.success(),
            "search failed: {}",
            stderr(&output)
        );
        serde_json::from_slice(&output.stdout).expect("search --json prints JSON")
    }

    /// How many articles the query matches as typed: 0 where only a corrected
    /// query (a typo's retry) found some.
    pub fn matches_as_typed(&self, query: &str) -> u64 {
        let result = self.search_json(&[query]);
        if result["corrected"].is_null() {
            result["total"].as_u64().unwrap()
        } else {
            0
        }
    }

    /// The article count `stats --json` reports.
    pub fn article_count(&self) -> u64 {
        let output = self.run(&["stats", "--json"]).output().unwrap();
        assert!(output.status.success(), "stats failed: {}", stderr(&output));
        let stats: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        stats["articles"].as_u64().expect("stats has articles")
    }
}

/// What an indexing run through the library did.
pub struct Run {
    pub summary: Summary,
    /// `path: message`, one per warning.
    pub warnings: Vec<String>,
    /// What was left out, by path (relative to the sandbox where it is under it).
    pub left_out: BTreeMap<String, LeftOut>,
}

/// A map of reasons to counts, for comparing with [`Summary::left_out`].
pub fn counts(reasons: &[(LeftOut, usize)]) -> BTreeMap<LeftOut, usize> {
    reasons.iter().copied().collect()
}

/// The binary with no `DATELINE_INDEX` or colour settings from the environment.
pub fn dateline() -> Command {
    let mut command = Command::cargo_bin("dateline").expect("the dateline binary");
    command
        .env_remove("DATELINE_INDEX")
        .env_remove("NO_COLOR")
        .current_dir(repo());
    command
}

pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn set_modified(path: &Path, time: SystemTime) {
    fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(time))
        .expect("setting a page's modification time");
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The titles of a search's hits.
pub fn titles(json: &serde_json::Value) -> Vec<String> {
    json["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|hit| hit["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Compares `actual` with `tests/golden/<name>`, or rewrites it with `UPDATE_GOLDEN=1`.
pub fn assert_golden(name: &str, actual: &str) {
    let path = repo().join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        fs::write(&path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no golden file {}: run with UPDATE_GOLDEN=1",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "output differs from {}\n--- expected\n{expected}\n--- got\n{actual}\n(UPDATE_GOLDEN=1 rewrites it; read the diff)",
        path.display()
    );
}

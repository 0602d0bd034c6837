//! The walk and the plan: which files under the paths given are pages to read, which of
//! them changed since the manifest was written, and which pages are gone.
//!
//! What is left out, and why ([`LeftOut`]), is decided here by the name and place of a
//! file or folder; [`crate::extract::articles`] decides later, by content, for the files
//! read. The rules are ripgrep's, from its crate (`ignore`): `.gitignore`, `.ignore`,
//! `.git/info/exclude` and the global git excludes, honoured whether or not the folder
//! is a git repository (saved pages rarely are), and `--glob`/`--exclude` patterns. The
//! folders are walked with walkdir (which `ignore`'s own walker wraps), because that
//! walker drops what it skips without a word, and the summary counts what was left out.
//!
//! Nothing here knows tantivy: the walk and the plan are tested on temp folders alone.

use super::manifest::Manifest;
use anyhow::Result;
use ignore::overrides::{Override, OverrideBuilder};
use ignore::{IncrementalIgnore, WalkBuilder};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Why a file or folder under the paths given is not read. A folder left out counts once,
/// whatever it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LeftOut {
    /// A dot name (`.DS_Store`, `.git/`).
    Hidden,
    /// Matched by a `.gitignore` or `.ignore` rule (or git's own excludes).
    IgnoreRule,
    /// Left out by `--glob` or `--exclude`.
    Excluded,
    /// A dateline index: the one being written, or an old one in the folder.
    DatelineIndex,
    /// The folder a browser writes beside a page saved "complete" (`Artikel_files/`
    /// beside `Artikel.html`), with the page's scripts, styles and images.
    SavedPageAssets,
    /// By its name: `.js`, `.mjs`, `.cjs`, `.ts`, `.jsx`, `.tsx`.
    Script,
    /// By its name: `.css`, `.scss`, `.sass`, `.less`.
    Style,
    /// By its name: `.png`, `.jpg`, `.svg`, `.webp`, `.ico`, … .
    Image,
    /// By its name: `.woff`, `.woff2`, `.ttf`, `.otf`, `.eot`.
    Font,
    /// By its name: `.json`, `.jsonl`, `.map`, `.xml`, `.csv`, `.tsv`, … .
    Data,
    /// By its name: `.mp3`, `.mp4`, `.webm`, … .
    Media,
    /// By its name: `.pdf`, office documents, e-books.
    Document,
    /// By its name: `.zip`, `.gz`, `.tar`, … .
    Archive,
    /// Read, and not a page by its content, in the extractor's words (`a PNG image`,
    /// `text that is not a news page`).
    Content(&'static str),
}

impl std::fmt::Display for LeftOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            LeftOut::Hidden => "hidden",
            LeftOut::IgnoreRule => "in .gitignore or .ignore",
            LeftOut::Excluded => "excluded by --glob or --exclude",
            LeftOut::DatelineIndex => "a dateline index",
            LeftOut::SavedPageAssets => "a saved page's asset folder",
            LeftOut::Script => "a script",
            LeftOut::Style => "a style sheet",
            LeftOut::Image => "an image",
            LeftOut::Font => "a font",
            LeftOut::Data => "data (JSON, XML, CSV)",
            LeftOut::Media => "audio or video",
            LeftOut::Document => "a document (PDF, office)",
            LeftOut::Archive => "an archive",
            LeftOut::Content(what) => what,
        })
    }
}

/// What the walk reports besides the files it finds.
#[derive(Debug)]
pub enum Notice<'a> {
    /// A file or folder that could not be read (or a link loop): a warning.
    Unreadable {
        /// The file or folder.
        path: &'a Path,
        /// Why, in a few words.
        message: String,
    },
    /// A file or folder left out.
    LeftOut {
        /// The file or folder.
        path: &'a Path,
        /// Why.
        reason: LeftOut,
    },
}

/// The part of the folders a walk looks at: everything, or, for a watcher's batch, only
/// some paths (changed files, folders created or renamed, paths deleted). The folders
/// above a path are entered, the path itself is walked with all it holds, and pages the
/// manifest lists at or under it that are not found are gone.
#[derive(Debug, Default)]
pub struct Focus {
    paths: HashSet<PathBuf>,
    /// Every folder above a path.
    above: HashSet<PathBuf>,
}

impl Focus {
    /// A focus on these absolute paths.
    pub fn new(paths: impl IntoIterator<Item = PathBuf>) -> Focus {
        let mut focus = Focus::default();
        for path in paths {
            focus
                .above
                .extend(path.ancestors().skip(1).map(Path::to_path_buf));
            focus.paths.insert(path);
        }
        focus
    }

    /// Whether the walk goes into this folder.
    fn enters(&self, dir: &Path) -> bool {
        self.above.contains(dir) || self.holds(dir)
    }

    /// Whether the path is one of the paths, or under one.
    pub(crate) fn holds(&self, path: &Path) -> bool {
        path.ancestors().any(|a| self.paths.contains(a))
    }
}

/// A folder or page given on the command line, resolved.
pub struct Root {
    /// The canonical folder that sources are relative to: the parent of the folder
    /// given, or of a single page's folder, so that a source names that folder too.
    base: PathBuf,
    /// Where to walk: the folder, or the single page given.
    start: PathBuf,
    /// Whether pages missing under `start` count as deleted (true for folders).
    owns_subtree: bool,
    /// `--glob`/`--exclude`, relative to `start`.
    globs: Override,
}

/// Resolves the paths given. A path that cannot be read, and a glob that does not parse,
/// are usage errors. `globs` are ripgrep's `--glob` patterns: a pattern includes only
/// what matches it, a pattern that starts with `!` leaves out what matches; a later
/// pattern wins over an earlier one.
pub fn resolve_roots(roots: &[PathBuf], globs: &[String]) -> Result<Vec<Root>> {
    roots
        .iter()
        .map(|root| {
            let start = fs::canonicalize(root)
                .map_err(|e| crate::usage_error(format!("cannot read {}: {e}", root.display())))?;
            let owns_subtree = start.is_dir();
            let folder = if owns_subtree {
                start.as_path()
            } else {
                start.parent().unwrap_or(&start)
            };
            // `index dupA dupB` shows `dupA/page.html` and `dupB/page.html`: the folder's
            // own name is part of a source.
            let base = folder.parent().unwrap_or(folder).to_path_buf();
            let mut builder = OverrideBuilder::new(&start);
            for glob in globs {
                builder.add(glob).map_err(|e| {
                    crate::usage_error(format!("bad glob {glob:?}: {}", glob_error(&e)))
                })?;
            }
            let globs = builder
                .build()
                .map_err(|e| crate::usage_error(format!("bad glob: {}", glob_error(&e))))?;
            Ok(Root {
                base,
                start,
                owns_subtree,
                globs,
            })
        })
        .collect()
}

impl Root {
    /// The folder walked, or the single page given (canonical).
    pub fn start(&self) -> &Path {
        &self.start
    }
}

fn glob_error(error: &ignore::Error) -> String {
    match error {
        ignore::Error::Glob { err, .. } => err.clone(),
        other => other.to_string(),
    }
}

/// A file found by the walk. A run may hold a million: the key and the source are
/// made from the path when needed, not kept beside it.
pub struct FoundFile {
    /// The path under the folder given (links not resolved).
    pub path: PathBuf,
    /// Where the source (the path relative to the root's base) begins in the key.
    source_at: usize,
    /// Size in bytes when walked.
    pub size: u64,
    /// Modification time in nanoseconds since the epoch (0 when unknown).
    pub modified_ns: i64,
    /// Modification time.
    pub modified: Option<SystemTime>,
    /// The content hash the manifest has for this page, if any (set by [`plan`]).
    pub known_hash: Option<u64>,
}

impl FoundFile {
    /// The manifest key: the absolute path (lossy where it is not UTF-8).
    pub fn key(&self) -> Cow<'_, str> {
        self.path.to_string_lossy()
    }

    /// The path shown as a source: relative to the folder given, with that folder's name.
    pub fn source(&self) -> String {
        self.key()[self.source_at..].to_string()
    }
}

/// What the walk found.
pub struct Walked {
    /// The files to consider, sorted by key, each once.
    pub files: Vec<FoundFile>,
    /// Keys of folders whose missing pages count as deleted, with a trailing `/`.
    pub scopes: Vec<String>,
    /// Keys of pages that count as deleted if missing (a watcher's deleted paths).
    pub exact: Vec<String>,
    /// Keys seen but not readable as files: not deleted, not read.
    pub unreadable: HashSet<String>,
}

/// Walks the roots: every file that may be a page, stat'ed. Links are followed (a loop
/// is reported, not followed); unreadable entries are reported and kept out of
/// [`Walked::files`] but listed in [`Walked::unreadable`], so that the plan does not take
/// them for deleted. A file under two roots is found once, under the first root's name.
/// `index_dir` (the canonical index folder of this run) is never walked. With a
/// `focus`, only the paths it names are walked.
pub fn walk(
    roots: &[Root],
    index_dir: Option<&Path>,
    focus: Option<&Focus>,
    report: &mut dyn FnMut(Notice<'_>),
) -> Result<Walked> {
    let mut walked = Walked {
        files: Vec::new(),
        scopes: Vec::new(),
        exact: Vec::new(),
        unreadable: HashSet::new(),
    };
    let mut found = Vec::new();
    for root in roots {
        match focus {
            None if root.owns_subtree => walked
                .scopes
                .push(format!("{}/", root.start.to_string_lossy())),
            None => {}
            Some(focus) => {
                if !focus.enters(&root.start) {
                    continue;
                }
                for path in &focus.paths {
                    if root.owns_subtree && path.starts_with(&root.start) {
                        let key = path.to_string_lossy();
                        walked.scopes.push(format!("{key}/"));
                        walked.exact.push(key.into_owned());
                    }
                }
            }
        }
        let mut rules = Rules::new(root, index_dir);
        // Unsorted: the files are sorted by key below, which is cheaper than walkdir's
        // sort by file name (a path parse per comparison).
        let mut entries = walkdir::WalkDir::new(&root.start)
            .follow_links(true)
            .into_iter();
        while let Some(entry) = entries.next() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    let path = error.path().unwrap_or(&root.start).to_path_buf();
                    walked
                        .unreadable
                        .insert(path.to_string_lossy().into_owned());
                    report(Notice::Unreadable {
                        path: &path,
                        message: walk_error_message(&error),
                    });
                    continue;
                }
            };
            let is_dir = entry.file_type().is_dir();
            if let Some(focus) = focus
                && entry.depth() > 0
                && !(if is_dir {
                    focus.enters(entry.path())
                } else {
                    focus.holds(entry.path())
                })
            {
                if is_dir {
                    entries.skip_current_dir();
                }
                continue;
            }
            if entry.depth() > 0
                && let Some(reason) = rules.left_out(entry.path(), entry.file_name(), is_dir)
            {
                report(Notice::LeftOut {
                    path: entry.path(),
                    reason,
                });
                if is_dir {
                    entries.skip_current_dir();
                }
                continue;
            }
            if !entry.file_type().is_file() {
                continue;
            }
            // The lossy form of a path ends with the lossy form of its tail ('/' is
            // never part of a multi-byte sequence), so the source is the key's end.
            let source_at = entry.path().strip_prefix(&root.base).map_or(0, |source| {
                entry.path().to_string_lossy().len() - source.to_string_lossy().len()
            });
            found.push((entry.into_path(), source_at));
        }
    }
    // By key, and a page under two of the roots given once, as the first root has it
    // (the sort is stable).
    found.sort_by(|(a, _), (b, _)| {
        a.as_os_str()
            .as_encoded_bytes()
            .cmp(b.as_os_str().as_encoded_bytes())
    });
    found.dedup_by(|b, a| a.0 == b.0);
    // A stat per file is most of an unchanged run's time: on all cores.
    let stated: Vec<_> = found
        .into_par_iter()
        .map(|(path, source_at)| {
            let metadata = fs::metadata(&path);
            (path, source_at, metadata)
        })
        .collect();
    for (path, source_at, metadata) in stated {
        let metadata = match metadata {
            Ok(metadata) => metadata,
            Err(error) => {
                walked
                    .unreadable
                    .insert(path.to_string_lossy().into_owned());
                report(Notice::Unreadable {
                    path: &path,
                    message: error.to_string(),
                });
                continue;
            }
        };
        let modified = metadata.modified().ok();
        walked.files.push(FoundFile {
            path,
            source_at,
            size: metadata.len(),
            modified_ns: modified.map_or(0, nanos_since_epoch),
            modified,
            known_hash: None,
        });
    }
    Ok(walked)
}

/// The rules of one root, in the order they apply: a dateline index is never read; a
/// `--glob` match is read whatever else holds (as in ripgrep), a `--glob` miss or an
/// `--exclude` match is not; then ignore files; then dot names; then the asset folders of
/// saved pages and the names of files that are not pages.
struct Rules<'a> {
    root: &'a Root,
    index_dir: Option<&'a Path>,
    /// `.gitignore`, `.ignore` and git's excludes, in this root and the folders above it,
    /// loaded as the walk reaches each folder.
    ignore_files: Option<IncrementalIgnore>,
}

impl<'a> Rules<'a> {
    fn new(root: &'a Root, index_dir: Option<&'a Path>) -> Rules<'a> {
        let ignore_files = root.owns_subtree.then(|| {
            let mut builder = WalkBuilder::new(&root.start);
            // Dot names are counted on their own (below); ignore files apply outside git
            // repositories too: a folder of saved pages rarely is one.
            builder.hidden(false).require_git(false).follow_links(true);
            builder.build_matchers().remove(0)
        });
        Rules {
            root,
            index_dir,
            ignore_files,
        }
    }

    fn left_out(&mut self, path: &Path, name: &OsStr, is_dir: bool) -> Option<LeftOut> {
        if is_dir && (Some(path) == self.index_dir || is_dateline_index(path)) {
            return Some(LeftOut::DatelineIndex);
        }
        let glob = self.root.globs.matched(path, is_dir);
        if glob.is_whitelist() {
            return None;
        }
        if glob.is_ignore() {
            return Some(LeftOut::Excluded);
        }
        let mut ignore_rule_keeps = false;
        if let Some(ignore_files) = &mut self.ignore_files
            && let Ok(relative) = path.strip_prefix(&self.root.start)
        {
            let matched = ignore_files.matched(relative, is_dir);
            if matched.is_ignore() {
                return Some(LeftOut::IgnoreRule);
            }
            // `!.htaccess` in an ignore file keeps a dot name, as in ripgrep.
            ignore_rule_keeps = matched.is_whitelist();
        }
        if !ignore_rule_keeps && name.as_encoded_bytes().starts_with(b".") {
            return Some(LeftOut::Hidden);
        }
        if is_dir {
            is_saved_page_assets(path, name).then_some(LeftOut::SavedPageAssets)
        } else {
            not_a_page_by_name(name)
        }
    }
}

/// A folder that holds a dateline index: its marker and tantivy's `meta.json`.
fn is_dateline_index(dir: &Path) -> bool {
    dir.join(super::MARKER).is_file() && dir.join("meta.json").is_file()
}

/// The suffixes browsers give the folder of a page saved "complete": `_files` (Chrome,
/// Edge, Firefox in English), `_bestanden` (Firefox in Dutch).
const ASSET_FOLDER_SUFFIXES: [&str; 2] = ["_files", "_bestanden"];

/// The page beside an asset folder: `Artikel_files/` is one only beside `Artikel.html`
/// (or `.htm`, `.xhtml`, `.shtml`), so a folder of pages that happens to be named
/// `oude_files` is still read.
const SAVED_PAGE_EXTENSIONS: [&str; 4] = ["html", "htm", "xhtml", "shtml"];

fn is_saved_page_assets(dir: &Path, name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    let Some(page) = ASSET_FOLDER_SUFFIXES.iter().find_map(|suffix| {
        let cut = name.len().checked_sub(suffix.len())?;
        let (page, end) = (name.get(..cut)?, name.get(cut..)?);
        (!page.is_empty() && end.eq_ignore_ascii_case(suffix)).then_some(page)
    }) else {
        return false;
    };
    let Some(parent) = dir.parent() else {
        return false;
    };
    SAVED_PAGE_EXTENSIONS
        .iter()
        .any(|extension| parent.join(format!("{page}.{extension}")).is_file())
}

/// Files that are not pages by their extension. Anything else is read, and the
/// extractor decides by content: `.html`, `.htm`, `.xhtml`, `.shtml`, `.mht`, `.mhtml`,
/// `.txt`, `.text`, `.md`, no extension, and names not listed here.
fn not_a_page_by_name(name: &OsStr) -> Option<LeftOut> {
    let name = name.as_encoded_bytes();
    let dot = name.iter().rposition(|&b| b == b'.')?;
    let extension = std::str::from_utf8(&name[dot + 1..])
        .ok()?
        .to_ascii_lowercase();
    Some(match extension.as_str() {
        "js" | "mjs" | "cjs" | "ts" | "jsx" | "tsx" => LeftOut::Script,
        "css" | "scss" | "sass" | "less" => LeftOut::Style,
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "svg" | "ico" | "bmp" | "avif" | "tif"
        | "tiff" | "heic" => LeftOut::Image,
        "woff" | "woff2" | "ttf" | "otf" | "eot" => LeftOut::Font,
        "json" | "jsonl" | "ndjson" | "map" | "xml" | "csv" | "tsv" => LeftOut::Data,
        "mp3" | "mp4" | "m4a" | "m4v" | "webm" | "ogg" | "oga" | "ogv" | "wav" | "flac" | "aac"
        | "opus" | "mov" | "avi" | "mkv" => LeftOut::Media,
        "pdf" | "doc" | "docx" | "xls" | "xlsx" | "ppt" | "pptx" | "odt" | "ods" | "odp"
        | "epub" => LeftOut::Document,
        "zip" | "gz" | "tgz" | "bz2" | "xz" | "zst" | "7z" | "rar" | "tar" => LeftOut::Archive,
        _ => return None,
    })
}

fn walk_error_message(error: &walkdir::Error) -> String {
    if error.loop_ancestor().is_some() {
        return "symbolic link loop; not followed".to_string();
    }
    match error.io_error() {
        Some(io) => io.to_string(),
        None => error.to_string(),
    }
}

fn nanos_since_epoch(time: SystemTime) -> i64 {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_nanos()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_nanos()).unwrap_or(i64::MAX),
    }
}

/// The walk set against the manifest.
pub struct Plan {
    /// New pages and pages whose size or modification time changed, to read.
    pub todo: Vec<FoundFile>,
    /// Keys of pages the manifest lists under a folder walked that the walk did not find
    /// (and did not find unreadable): deleted.
    pub removed: Vec<String>,
    /// Pages of the same size and modification time as the manifest has them.
    pub unchanged: usize,
}

/// Splits the walk into pages to read, pages unchanged and pages gone.
pub fn plan(walked: Walked, manifest: &Manifest) -> Plan {
    let found: HashSet<Cow<'_, str>> = walked.files.iter().map(FoundFile::key).collect();
    // The manifest is sorted by key: the pages under a folder are one range of it.
    let under = walked.scopes.iter().flat_map(|scope| {
        manifest
            .pages
            .range::<str, _>((
                std::ops::Bound::Included(scope.as_str()),
                std::ops::Bound::Unbounded,
            ))
            .map(|(key, _)| key)
            .take_while(move |key| key.starts_with(scope.as_str()))
    });
    let exact = walked.exact.iter().filter_map(|key| {
        manifest
            .pages
            .get_key_value(key.as_str())
            .map(|(key, _)| key)
    });
    let mut removed: Vec<String> = under
        .chain(exact)
        .filter(|key| {
            !found.contains(&Cow::Borrowed(key.as_str()))
                && !walked.unreadable.contains(key.as_str())
        })
        .cloned()
        .collect();
    removed.sort_unstable();
    removed.dedup();
    drop(found);
    let mut todo = Vec::new();
    let mut unchanged = 0;
    for mut file in walked.files {
        match manifest.pages.get(file.key().as_ref()) {
            Some(known) if known.size == file.size && known.modified_ns == file.modified_ns => {
                unchanged += 1;
            }
            known => {
                file.known_hash = known.map(|k| k.hash);
                todo.push(file);
            }
        }
    }
    Plan {
        todo,
        removed,
        unchanged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::PageEntry;
    use std::collections::BTreeMap;

    /// A temp folder with files written into it.
    struct Folder(tempfile::TempDir);

    impl Folder {
        fn new() -> Folder {
            Folder(tempfile::tempdir().unwrap())
        }

        /// The canonical path of `relative` (the temp dir may sit behind a link).
        fn path(&self, relative: &str) -> PathBuf {
            fs::canonicalize(self.0.path()).unwrap().join(relative)
        }

        fn write(&self, relative: &str, contents: &str) -> PathBuf {
            let path = self.path(relative);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, contents).unwrap();
            path
        }
    }

    /// What a walk found and reported: sources, left-out entries (relative to `folder`,
    /// folders with a trailing `/`) and warnings.
    struct Outcome {
        walked: Walked,
        sources: Vec<String>,
        left_out: BTreeMap<String, LeftOut>,
        warnings: Vec<String>,
    }

    fn walk_paths(folder: &Folder, paths: &[&str], globs: &[&str]) -> Outcome {
        let paths: Vec<PathBuf> = paths.iter().map(|p| folder.path(p)).collect();
        let globs: Vec<String> = globs.iter().map(|g| g.to_string()).collect();
        let roots = resolve_roots(&paths, &globs).unwrap();
        let base = folder.path("");
        let mut left_out = BTreeMap::new();
        let mut warnings = Vec::new();
        let walked = walk(&roots, None, None, &mut |notice| match notice {
            Notice::LeftOut { path, reason } => {
                let mut name = path.strip_prefix(&base).unwrap().display().to_string();
                if path.is_dir() {
                    name.push('/');
                }
                left_out.insert(name, reason);
            }
            Notice::Unreadable { path, message } => {
                warnings.push(format!("{}: {message}", path.display()));
            }
        })
        .unwrap();
        let sources = walked.files.iter().map(FoundFile::source).collect();
        Outcome {
            walked,
            sources,
            left_out,
            warnings,
        }
    }

    fn saved_page_folder() -> Folder {
        let folder = Folder::new();
        folder.write("pages/Artikel.html", "<h1>Kop</h1>");
        for asset in ["analytics.js", "style.css", "logo.svg", "ld.json"] {
            folder.write(&format!("pages/Artikel_files/{asset}"), "x");
        }
        folder.write("pages/Krant_bestanden/app.js", "x");
        folder.write("pages/Krant.htm", "<h1>Kop</h1>");
        folder.write("pages/notes.md", "# Notities");
        folder.write("pages/.DS_Store", "x");
        folder.write("pages/.concept/pagina.txt", "x");
        folder.write("pages/loose/app.mjs", "x");
        folder.write("pages/loose/foto.JPG", "x");
        folder.write("pages/loose/font.woff2", "x");
        folder.write("pages/loose/data.json", "x");
        folder.write("pages/loose/bericht", "x");
        folder.write("pages/loose/bericht.mhtml", "x");
        // A folder of pages named like an asset folder, with no page beside it.
        folder.write("pages/oude_files/pagina.txt", "x");
        folder
    }

    #[test]
    fn pages_are_read_and_assets_hidden_files_and_non_pages_left_out() {
        let folder = saved_page_folder();
        let outcome = walk_paths(&folder, &["pages"], &[]);
        assert_eq!(
            outcome.sources,
            [
                "pages/Artikel.html",
                "pages/Krant.htm",
                "pages/loose/bericht",
                "pages/loose/bericht.mhtml",
                "pages/notes.md",
                "pages/oude_files/pagina.txt",
            ]
        );
        let expected: BTreeMap<String, LeftOut> = [
            ("pages/.DS_Store", LeftOut::Hidden),
            ("pages/.concept/", LeftOut::Hidden),
            ("pages/Artikel_files/", LeftOut::SavedPageAssets),
            ("pages/Krant_bestanden/", LeftOut::SavedPageAssets),
            ("pages/loose/app.mjs", LeftOut::Script),
            ("pages/loose/data.json", LeftOut::Data),
            ("pages/loose/font.woff2", LeftOut::Font),
            ("pages/loose/foto.JPG", LeftOut::Image),
        ]
        .into_iter()
        .map(|(path, reason)| (path.to_string(), reason))
        .collect();
        assert_eq!(outcome.left_out, expected);
        assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
    }

    #[test]
    fn gitignore_and_ignore_files_are_honoured_outside_git() {
        let folder = Folder::new();
        folder.write("pages/.gitignore", "concepten/\n*.bak\n");
        folder.write("pages/sub/.ignore", "oud.txt\n");
        folder.write("pages/concepten/a.txt", "x");
        folder.write("pages/a.txt.bak", "x");
        folder.write("pages/sub/oud.txt", "x");
        folder.write("pages/sub/nieuw.txt", "x");
        folder.write("pages/a.txt", "x");
        let outcome = walk_paths(&folder, &["pages"], &[]);
        assert_eq!(outcome.sources, ["pages/a.txt", "pages/sub/nieuw.txt"]);
        let reasons: Vec<(&str, LeftOut)> = outcome
            .left_out
            .iter()
            .map(|(path, reason)| (path.as_str(), *reason))
            .collect();
        assert_eq!(
            reasons,
            [
                ("pages/.gitignore", LeftOut::Hidden),
                ("pages/a.txt.bak", LeftOut::IgnoreRule),
                ("pages/concepten/", LeftOut::IgnoreRule),
                ("pages/sub/.ignore", LeftOut::Hidden),
                ("pages/sub/oud.txt", LeftOut::IgnoreRule),
            ]
        );
    }

    #[test]
    fn globs_include_and_exclude_as_in_ripgrep() {
        let folder = saved_page_folder();
        let only_html = walk_paths(&folder, &["pages"], &["*.html", "*.htm"]);
        assert_eq!(only_html.sources, ["pages/Artikel.html", "pages/Krant.htm"]);
        assert_eq!(
            only_html.left_out.get("pages/notes.md"),
            Some(&LeftOut::Excluded)
        );
        // Still left out for their own reasons: folders that no glob names.
        assert_eq!(
            only_html.left_out.get("pages/Artikel_files/"),
            Some(&LeftOut::SavedPageAssets)
        );

        let without = walk_paths(&folder, &["pages"], &["!*.md", "!loose/"]);
        assert_eq!(
            without.sources,
            [
                "pages/Artikel.html",
                "pages/Krant.htm",
                "pages/oude_files/pagina.txt"
            ]
        );
        assert_eq!(
            without.left_out.get("pages/loose/"),
            Some(&LeftOut::Excluded)
        );

        // A glob match is read whatever else holds, as in ripgrep; an asset folder the
        // glob does not name is not walked.
        let json = walk_paths(&folder, &["pages"], &["*.json"]);
        assert_eq!(json.sources, ["pages/loose/data.json"]);
        let assets = walk_paths(&folder, &["pages"], &["Artikel_files", "*.js"]);
        assert_eq!(assets.sources, ["pages/Artikel_files/analytics.js"]);
    }

    #[test]
    fn a_bad_glob_is_a_usage_error() {
        let folder = Folder::new();
        folder.write("pages/a.txt", "x");
        let error = resolve_roots(&[folder.path("pages")], &["a[".to_string()])
            .err()
            .unwrap();
        assert!(error.is::<crate::UsageError>(), "{error:#}");
        assert!(error.to_string().contains("bad glob \"a[\""), "{error:#}");
    }

    #[test]
    fn dateline_indexes_are_never_walked() {
        let folder = Folder::new();
        folder.write("pages/a.txt", "x");
        folder.write("pages/oud/dateline.json", "{}");
        folder.write("pages/oud/meta.json", "{}");
        folder.write("pages/oud/pagina.txt", "x");
        folder.write("pages/nieuw/dateline.json", "{}");
        folder.write("pages/nieuw/pagina.txt", "x");
        let roots = resolve_roots(&[folder.path("pages")], &[]).unwrap();
        let this_run = folder.path("pages/nieuw");
        let mut left_out = BTreeMap::new();
        let walked = walk(&roots, Some(&this_run), None, &mut |notice| {
            if let Notice::LeftOut { path, reason } = notice {
                left_out.insert(path.to_path_buf(), reason);
            }
        })
        .unwrap();
        let sources: Vec<String> = walked.files.iter().map(FoundFile::source).collect();
        assert_eq!(sources, ["pages/a.txt"]);
        let expected = BTreeMap::from([
            (this_run, LeftOut::DatelineIndex),
            (folder.path("pages/oud"), LeftOut::DatelineIndex),
        ]);
        assert_eq!(left_out, expected);
    }

    #[test]
    fn sources_name_the_folder_given_and_a_file_its_folder() {
        let folder = Folder::new();
        folder.write("dupA/page.html", "x");
        folder.write("dupB/page.html", "x");
        folder.write("los/.verborgen.txt", "x");
        let outcome = walk_paths(&folder, &["dupA", "dupB", "los/.verborgen.txt"], &[]);
        // A file given by name is read whatever its name.
        assert_eq!(
            outcome.sources,
            ["dupA/page.html", "dupB/page.html", "los/.verborgen.txt"]
        );
        assert!(outcome.left_out.is_empty());
    }

    #[test]
    fn a_file_under_two_roots_is_found_once_under_the_first() {
        let folder = Folder::new();
        folder.write("pages/sub/a.txt", "x");
        let first_folder = walk_paths(&folder, &["pages", "pages/sub/a.txt"], &[]);
        assert_eq!(first_folder.sources, ["pages/sub/a.txt"]);
        let first_file = walk_paths(&folder, &["pages/sub/a.txt", "pages"], &[]);
        assert_eq!(first_file.sources, ["sub/a.txt"]);
        assert_eq!(first_file.walked.scopes.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_and_loops_and_broken_links_reported() {
        let folder = Folder::new();
        folder.write("pages/a.txt", "x");
        folder.write("elders/b.txt", "x");
        std::os::unix::fs::symlink(folder.path("elders"), folder.path("pages/link")).unwrap();
        std::os::unix::fs::symlink(folder.path("pages"), folder.path("pages/loop")).unwrap();
        std::os::unix::fs::symlink(folder.path("nergens"), folder.path("pages/kapot.txt")).unwrap();
        let outcome = walk_paths(&folder, &["pages"], &[]);
        assert_eq!(outcome.sources, ["pages/a.txt", "pages/link/b.txt"]);
        assert_eq!(outcome.warnings.len(), 2, "{:?}", outcome.warnings);
        assert!(
            outcome.warnings.iter().any(|w| w.contains("loop")),
            "{:?}",
            outcome.warnings
        );
        // Neither is taken for deleted.
        assert!(outcome.walked.unreadable.len() == 2);
    }

    #[test]
    fn the_plan_reads_new_and_changed_pages_and_removes_gone_ones_in_scope() {
        let folder = Folder::new();
        let same = folder.write("pages/same.txt", "x");
        let changed = folder.write("pages/changed.txt", "x");
        folder.write("pages/new.txt", "x");
        let outcome = walk_paths(&folder, &["pages"], &[]);
        let entry_of = |path: &Path, size: u64| {
            let file = outcome
                .walked
                .files
                .iter()
                .find(|f| f.path == path)
                .unwrap();
            PageEntry {
                size,
                modified_ns: file.modified_ns,
                hash: 7,
                stories: vec![1],
            }
        };
        let key = |path: PathBuf| path.to_string_lossy().into_owned();
        let mut manifest = Manifest::default();
        manifest.pages.insert(key(same.clone()), entry_of(&same, 1));
        manifest
            .pages
            .insert(key(changed.clone()), entry_of(&changed, 2));
        let gone = key(folder.path("pages/gone.txt"));
        let elsewhere = key(folder.path("other/kept.txt"));
        let unreadable = key(folder.path("pages/unreadable.txt"));
        for other in [&gone, &elsewhere, &unreadable] {
            manifest.pages.insert(other.clone(), entry_of(&same, 1));
        }
        let mut walked = outcome.walked;
        walked.unreadable.insert(unreadable);
        let plan = plan(walked, &manifest);
        assert_eq!(plan.unchanged, 1);
        let todo: Vec<(String, Option<u64>)> = plan
            .todo
            .iter()
            .map(|f| (f.source(), f.known_hash))
            .collect();
        assert_eq!(
            todo,
            [
                ("pages/changed.txt".to_string(), Some(7)),
                ("pages/new.txt".to_string(), None)
            ]
        );
        // Only pages under a folder walked are gone; an unreadable page is not.
        assert_eq!(plan.removed, [gone]);
    }
}

//! The index: a tantivy directory with dateline's schema, a format marker, and the
//! manifest of pages read. [`open`] for searching, [`update`] to index folders.

mod local;
mod manifest;
pub mod schema;
mod stats;
mod story;
mod update;
mod walk;
mod watch;

pub use local::story_ids;
pub(crate) use manifest::write_whole;
pub use manifest::{Manifest, PageEntry};
pub use schema::Fields;
pub use stats::{FacetCounts, Stats, facet, facet_value, stats, top_facets};
pub use story::{Appearance, Indexed, Story};
pub use update::{Event, Indexer, Options, Store, Summary, update};
pub use walk::{Focus, LeftOut, Notice};
pub use watch::{POLL_INTERVAL, watch};

use crate::{analysis, usage_error};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::fs;
use std::path::Path;
use tantivy::Index;

/// The marker file that says a folder is a dateline index, and in which format.
const MARKER: &str = "dateline.json";

/// The lock an indexing run holds for its whole length (a dot file: it does not make a
/// folder look non-empty). The OS releases it when the process dies, so a killed run
/// leaves no stale lock.
const LOCK: &str = ".dateline.lock";

/// Takes the index folder's writer lock, creating the folder if needed.
///
/// Taken before anything in the folder is touched (even `--rebuild`), so a second run
/// fails at once and changes nothing.
pub fn lock(dir: &Path) -> Result<fs::File> {
    refuse_foreign(dir)?;
    fs::create_dir_all(dir).with_context(|| format!("creating index folder {}", dir.display()))?;
    let path = dir.join(LOCK);
    let file = fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(anyhow::anyhow!(
            "another indexing run holds the lock on {}; wait for it to finish",
            dir.display()
        )),
        Err(fs::TryLockError::Error(error)) => {
            Err(error).with_context(|| format!("locking {}", path.display()))
        }
    }
}

/// Bumped whenever the schema, the analysis or the stored JSON changes incompatibly.
pub const FORMAT_VERSION: u32 = 6;

#[derive(Serialize, Deserialize)]
struct Marker {
    format: u32,
    /// The compound lexicon the index was split with (`analysis::compound`).
    lexicon: u64,
    /// When the index was created, in nanoseconds: its identity. A rebuilt index numbers
    /// its commits from 1 again, and `follow` must know its marks are for another index.
    #[serde(default)]
    created: u64,
}

impl Marker {
    fn new() -> Marker {
        Marker {
            format: FORMAT_VERSION,
            lexicon: analysis::compound::lexicon_fingerprint(),
            created: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64),
        }
    }

    fn is_current(&self) -> bool {
        self.format == FORMAT_VERSION && self.lexicon == analysis::compound::lexicon_fingerprint()
    }
}

/// The identity of the index at `dir` (see `Marker::created`); 0 for one without.
pub fn identity(dir: &Path) -> u64 {
    fs::read(dir.join(MARKER))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Marker>(&bytes).ok())
        .map_or(0, |marker| marker.created)
}

/// Opens an existing index for searching.
///
/// A missing index, a folder that is not a dateline index, and an index of another
/// format are usage errors (exit code 2) with a message that says what to do.
pub fn open(dir: &Path) -> Result<Index> {
    if !dir.join("meta.json").is_file() {
        // A folder of pages given as the index: indexing "it first" would be refused.
        if dir.is_dir() && !dir.join(MARKER).is_file() && has_visible_entries(dir)? {
            return Err(usage_error(format!(
                "{} is not a dateline index; to search the pages in it, index them into an index folder first: dateline index {} --index <index folder>",
                dir.display(),
                dir.display()
            )));
        }
        return Err(usage_error(format!(
            "no index at {}; run 'dateline index <folder>' first",
            dir.display()
        )));
    }
    check_marker(dir)?;
    let index = Index::open_in_dir(dir)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("opening index at {}", dir.display()))?;
    if index.schema() != schema::schema() {
        return Err(incompatible(dir));
    }
    analysis::register(&index);
    Ok(index)
}

/// Opens the index for writing, creating it in a new or empty folder. With `rebuild`,
/// an existing dateline index (of any format) is removed first. The caller holds the
/// [`lock`].
///
/// Refuses a folder that holds anything but a dateline index: nothing in it is touched.
pub fn open_or_create(dir: &Path, rebuild: bool) -> Result<Index> {
    let ours = dir.join(MARKER).is_file();
    if rebuild && ours {
        clear(dir)?;
    }
    if dir.join("meta.json").is_file() {
        return open(dir);
    }
    refuse_foreign(dir)?;
    // The marker goes first: a run killed between the two steps leaves a folder that is
    // recognisably ours and is created again next time, never a nameless tantivy index.
    let marker = serde_json::to_vec(&Marker::new())?;
    fs::write(dir.join(MARKER), marker)
        .with_context(|| format!("writing {}", dir.join(MARKER).display()))?;
    let index = Index::create_in_dir(dir, schema::schema())
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("creating index at {}", dir.display()))?;
    analysis::register(&index);
    Ok(index)
}

/// A folder that holds anything but a dateline index is not ours to write into.
fn refuse_foreign(dir: &Path) -> Result<()> {
    if dir.exists() && !dir.join(MARKER).is_file() && has_visible_entries(dir)? {
        return Err(usage_error(format!(
            "{} is not empty and is not a dateline index; refusing to write into it (choose another --index folder)",
            dir.display()
        )));
    }
    Ok(())
}

fn check_marker(dir: &Path) -> Result<()> {
    let path = dir.join(MARKER);
    let Ok(bytes) = fs::read(&path) else {
        return Err(usage_error(format!(
            "{} holds a search index that dateline did not write; point --index at another folder",
            dir.display()
        )));
    };
    match serde_json::from_slice::<Marker>(&bytes) {
        Ok(marker) if marker.is_current() => Ok(()),
        _ => Err(incompatible(dir)),
    }
}

fn incompatible(dir: &Path) -> anyhow::Error {
    usage_error(format!(
        "the index at {} was written by an incompatible version of dateline; rebuild it with 'dateline index --rebuild <folder>'",
        dir.display()
    ))
}

/// Dot files (such as the repo's `index/.gitignore`) do not make a folder non-empty.
fn has_visible_entries(dir: &Path) -> Result<bool> {
    let entries = fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
    Ok(entries
        .flatten()
        .any(|entry| !entry.file_name().to_string_lossy().starts_with('.')))
}

/// Removes a dateline index's files, leaving dot files and the folder itself.
fn clear(dir: &Path) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let removed = if entry.file_type()?.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        removed.with_context(|| format!("removing {}", path.display()))?;
    }
    Ok(())
}

/// A reader of the index's last commit. Missing or cut-short segment files are reported
/// as a damaged index with the way out, not as tantivy's raw error.
pub fn reader(index: &Index) -> Result<tantivy::IndexReader> {
    index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()
        .map_err(|e| {
            anyhow::anyhow!(
                "the index is damaged ({e}); rebuild it with 'dateline index --rebuild <folder>'"
            )
        })
}

/// The manifest the index's last commit names.
pub fn load_manifest(index: &Index, dir: &Path) -> Result<Manifest> {
    let metas = index.load_metas().context("reading index metadata")?;
    Manifest::load(dir, metas.payload.as_deref())
}

/// The pages under `paths` that `dateline index` would read: folders walked with its
/// rules, a page given by name as it is; in order, each once. What is left out, and
/// what cannot be read, is told to `report`. A path that does not exist is a usage
/// error.
pub fn pages_under(
    paths: &[std::path::PathBuf],
    report: &mut dyn FnMut(Notice<'_>),
) -> Result<Vec<std::path::PathBuf>> {
    let roots = walk::resolve_roots(paths, &[])?;
    let walked = walk::walk(&roots, None, None, report)?;
    // Shown under the path as given, not the resolved one.
    let given: Vec<(std::path::PathBuf, &std::path::PathBuf)> = paths
        .iter()
        .filter_map(|path| Some((fs::canonicalize(path).ok()?, path)))
        .collect();
    Ok(walked
        .files
        .into_iter()
        .map(|file| {
            given
                .iter()
                .find_map(|(resolved, path)| {
                    let rest = file.path.strip_prefix(resolved).ok()?;
                    Some(if rest.as_os_str().is_empty() {
                        path.to_path_buf()
                    } else {
                        path.join(rest)
                    })
                })
                .unwrap_or(file.path)
        })
        .collect())
}

/// The newest commit a searcher holds a story of (0 for none): every story first
/// indexed in a commit up to this one is in it ([`Indexed`]).
pub fn newest_generation(searcher: &tantivy::Searcher) -> Result<u64> {
    let mut newest = 0;
    for segment in searcher.segment_readers() {
        let column = segment.fast_fields().u64(schema::GENERATION)?;
        // Deleted stories count too: they were committed no later than this searcher.
        newest = newest.max(column.max_value());
    }
    Ok(newest)
}

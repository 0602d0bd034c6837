//! An indexing run: walk folders ([`super::walk`]), read the pages that changed, merge
//! their articles into stories, and commit.
//!
//! Pages are read and extracted in parallel batches; one thread applies each batch to
//! the [`Store`] (the local tantivy index, or a cluster). A commit (with the manifest it names) happens every
//! [`Options::commit_interval`], at a stop request and at the end, so a killed run loses
//! only the work since its last commit, and the next run redoes exactly that: a page
//! counts as read only once the commit that holds its stories names a manifest that
//! lists it. Stories are written by id (delete, then add), so no run leaves duplicates.

use super::manifest::{Manifest, PageEntry};
use super::story::{Appearance, Indexed, Story};
use super::walk::{self, FoundFile, LeftOut, Notice};
use crate::extract::{self, Page, PageError};
use anyhow::Result;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How an indexing run behaves.
#[derive(Debug, Clone)]
pub struct Options {
    /// Commit this often, so that a kill loses little work (less often on an index whose
    /// commits are slow: at most a tenth of the run goes to committing), and whenever
    /// 50,000 changed stories wait for a commit.
    pub commit_interval: Duration,
    /// Pages larger than this are skipped with a warning (bounded memory).
    pub max_page_bytes: u64,
    /// Pages read in parallel between two writes to the index.
    pub batch_pages: usize,
    /// Remove the existing index first.
    pub rebuild: bool,
    /// ripgrep's `--glob` patterns: only files that match are read; a pattern that starts
    /// with `!` leaves out what matches (`--exclude G` is `!G`). A later one wins.
    pub globs: Vec<String>,
    /// Set (by a Ctrl-C handler) to stop after the current batch, commit, and return.
    pub stop: Arc<AtomicBool>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            commit_interval: Duration::from_secs(10),
            max_page_bytes: 32 * 1024 * 1024,
            batch_pages: 512,
            rebuild: false,
            globs: Vec::new(),
            stop: Arc::new(AtomicBool::new(false)),
        }
    }
}

/// What a run reports while it works.
#[derive(Debug)]
pub enum Event<'a> {
    /// A page or folder that could not be read: the run goes on without it.
    Warning {
        /// The file or folder.
        path: &'a Path,
        /// Why, in a few words.
        message: String,
    },
    /// A file or folder left out (not a page by its name, place or content), and why.
    LeftOut {
        /// The file or folder.
        path: &'a Path,
        /// Why.
        reason: LeftOut,
    },
    /// Pages processed so far, of those that needed reading.
    Progress {
        /// Pages done.
        done: usize,
        /// Pages to do.
        total: usize,
    },
    /// Watching: the first run, or a batch of changes, is committed.
    Updated {
        /// What it did.
        summary: &'a Summary,
    },
    /// Watching started, or fell back to looking at the folders every two seconds.
    Watching {
        /// Whether the folders are polled rather than watched by the OS.
        polling: bool,
        /// Why the OS cannot watch them, when it cannot.
        why: Option<String>,
    },
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files found under the folders that may be pages (not left out by name or place).
    pub files_found: usize,
    /// Pages read and extracted (new or changed).
    pub pages_read: usize,
    /// Pages left alone because they did not change since the last run.
    pub pages_unchanged: usize,
    /// Pages gone from the folders, whose articles were taken out.
    pub pages_removed: usize,
    /// Pages skipped with a warning (unreadable, too large, garbled, empty).
    pub pages_skipped: usize,
    /// Files and folders left out, by why: by their name or place (hidden, ignore rules,
    /// `--glob`, asset folders, dateline indexes, scripts, images, …) or, once read, by
    /// their content. A folder counts once, whatever it holds.
    pub left_out: BTreeMap<LeftOut, usize>,
    /// Articles read from the pages.
    pub articles_read: usize,
    /// Articles read that were a story already read from another page.
    pub articles_deduplicated: usize,
    /// Stories written (new or updated).
    pub stories_written: usize,
    /// Stories the index did not hold before (not a page's story seen again, nor a story
    /// written again because a page of it changed).
    pub stories_new: usize,
    /// Stories taken out because no page has them any more.
    pub stories_removed: usize,
    /// Articles in the index after the run.
    pub articles_in_index: u64,
    /// Whether the run stopped early at a stop request.
    pub interrupted: bool,
    /// Wall time.
    pub elapsed: Duration,
}

/// Where a run keeps its stories and its manifest: the local tantivy index, or a cluster.
/// A run hands it the changed stories of a commit, then the manifest that lists exactly
/// the pages they come from; after `commit` returns, both are the store's state.
pub trait Store {
    /// The store's name in messages.
    fn name(&self) -> &str;
    /// The manifest of the last commit.
    fn manifest(&mut self) -> Result<Manifest>;
    /// The ids of the stories the last commit holds (`manifest` is that commit's).
    fn ids(&mut self, manifest: &Manifest) -> Result<HashSet<u64>>;
    /// Each headline key the store holds, with the first commit that held it.
    fn headlines(&mut self) -> Result<HashMap<u64, u64>>;
    /// The committed stories of these ids (those it has).
    fn load(&mut self, ids: &[u64]) -> Result<HashMap<u64, Story>>;
    /// Writes a story for the next commit; `replace`: the last commit holds a version.
    fn put(&mut self, story: &Story, replace: bool) -> Result<()>;
    /// Takes a committed story out at the next commit.
    fn delete(&mut self, id: u64) -> Result<()>;
    /// Makes the written stories and the manifest the store's state, as one step where
    /// the store can, else stories first: a run killed in between redoes the pages.
    fn commit(&mut self, manifest: &Manifest) -> Result<()>;
    /// Articles the store holds after the last commit.
    fn count(&mut self) -> Result<u64>;
    /// Finishes background work and lets go of the store.
    fn close(self: Box<Self>) -> Result<()>;
}

/// Changed stories held for the next commit at most: they are in memory until then.
const MAX_PENDING_STORIES: usize = 50_000;

/// Indexes the pages under `roots` into the index at `dir`.
pub fn update(
    dir: &Path,
    roots: &[PathBuf],
    options: &Options,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<Summary> {
    Indexer::open(dir, roots, options, on_event)?.run()
}

/// An index open for writing, with the folders it reads: [`update`] runs it once, a
/// watcher once per batch of changes. It holds the index's lock until closed.
pub struct Indexer<'a> {
    roots: Vec<walk::Root>,
    index_dir: Option<PathBuf>,
    options: &'a Options,
    run: Run<'a>,
}

impl<'a> Indexer<'a> {
    /// Takes the lock of the index at `dir` and opens it (creating it if needed). The
    /// paths are resolved once: a path that does not exist is a usage error.
    pub fn open(
        dir: &'a Path,
        roots: &[PathBuf],
        options: &'a Options,
        on_event: &'a mut dyn FnMut(Event<'_>),
    ) -> Result<Indexer<'a>> {
        let roots = walk::resolve_roots(roots, &options.globs)?;
        let store = super::local::LocalStore::open(dir, options.rebuild)?;
        Indexer::with_store(
            roots,
            fs::canonicalize(dir).ok(),
            Box::new(store),
            options,
            on_event,
        )
    }

    /// Opens a run that keeps its stories and manifest in `store` (a cluster).
    pub fn open_store(
        store: Box<dyn Store + 'a>,
        roots: &[PathBuf],
        options: &'a Options,
        on_event: &'a mut dyn FnMut(Event<'_>),
    ) -> Result<Indexer<'a>> {
        let roots = walk::resolve_roots(roots, &options.globs)?;
        Indexer::with_store(roots, None, store, options, on_event)
    }

    fn with_store(
        roots: Vec<walk::Root>,
        index_dir: Option<PathBuf>,
        store: Box<dyn Store + 'a>,
        options: &'a Options,
        on_event: &'a mut dyn FnMut(Event<'_>),
    ) -> Result<Indexer<'a>> {
        let run = Run::new(store, on_event)?;
        Ok(Indexer {
            roots,
            index_dir,
            options,
            run,
        })
    }

    /// One run: walks, reads, commits, and closes.
    pub fn run(mut self) -> Result<Summary> {
        let started = Instant::now();
        let mut summary = self.update(None)?;
        self.close()?;
        summary.elapsed = started.elapsed();
        Ok(summary)
    }

    /// The folders and pages read, resolved (what a watcher watches).
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.roots.iter().map(walk::Root::start)
    }

    /// The index folder, resolved (a watcher ignores what happens in it).
    pub fn index_dir(&self) -> Option<&Path> {
        self.index_dir.as_deref()
    }

    /// Walks the folders (all of them, or only what `focus` names), reads the pages
    /// that changed, takes out those gone, and commits. Returns what this call did.
    pub fn update(&mut self, focus: Option<&walk::Focus>) -> Result<Summary> {
        let started = Instant::now();
        let options = self.options;
        let run = &mut self.run;
        run.summary = Summary::default();
        run.written.clear();
        let walked = walk::walk(
            &self.roots,
            self.index_dir.as_deref(),
            focus,
            &mut |notice| run.notice(notice),
        )?;
        run.summary.files_found = walked.files.len();

        let walk::Plan {
            todo,
            removed,
            unchanged,
        } = walk::plan(walked, &run.manifest);
        run.summary.pages_unchanged += unchanged;
        run.remove_pages(removed)?;
        let total = todo.len();
        let batch_pages = options.batch_pages.max(1);
        // Pages are read and extracted on rayon's threads one batch ahead of the writer,
        // so decoding and parsing overlap with indexing.
        std::thread::scope(|scope| -> Result<()> {
            let (batches, outcomes) = std::sync::mpsc::sync_channel::<Vec<Outcome>>(1);
            let todo = &todo;
            scope.spawn(move || {
                for batch in todo.chunks(batch_pages) {
                    let read: Vec<Outcome> = batch
                        .par_iter()
                        .map(|file| read_page(file, options.max_page_bytes))
                        .collect();
                    if batches.send(read).is_err() {
                        break; // The writer stopped early.
                    }
                }
            });
            let mut last_commit = Instant::now();
            let mut interval = options.commit_interval;
            let mut done = 0;
            for batch in outcomes {
                done += batch.len();
                run.apply(batch)?;
                (run.on_event)(Event::Progress { done, total });
                if options.stop.load(Ordering::SeqCst) {
                    run.summary.interrupted = true;
                    break;
                }
                if last_commit.elapsed() >= interval || run.pending.len() >= MAX_PENDING_STORIES {
                    let committing = Instant::now();
                    run.commit()?;
                    // A commit writes the whole manifest (a second for a million pages):
                    // commits on a big index come less often, so they stay a tenth of the
                    // run.
                    interval = options.commit_interval.max(committing.elapsed() * 10);
                    last_commit = Instant::now();
                }
            }
            Ok(())
        })?;
        run.commit()?;
        let mut summary = run.summary.clone();
        summary.stories_written = run.written.len();
        summary.articles_in_index = run.store.count()?;
        summary.elapsed = started.elapsed();
        Ok(summary)
    }

    /// Tells the caller's event handler.
    pub fn report(&mut self, event: Event<'_>) {
        (self.run.on_event)(event);
    }

    /// Finishes the store's work (the writer's merges) and releases its lock.
    pub fn close(self) -> Result<()> {
        self.run.store.close()
    }
}

/// What reading one page gave.
enum Outcome {
    /// New or changed content, with its articles.
    Extracted {
        key: String,
        source: String,
        entry: PageEntry,
        articles: Vec<extract::Article>,
    },
    /// Touched but byte-identical: only the manifest's size and time change (its
    /// stories are the manifest's).
    Touched { key: String, entry: PageEntry },
    /// Read, but not a page, or not one with articles.
    Rejected {
        key: String,
        path: PathBuf,
        error: PageError,
    },
    /// Could not be read now; what the index has of it stays.
    Unreadable { path: PathBuf, message: String },
}

fn read_page(file: &FoundFile, max_bytes: u64) -> Outcome {
    let unreadable = |message: String| Outcome::Unreadable {
        path: file.path.clone(),
        message,
    };
    if file.size > max_bytes {
        return unreadable(format!(
            "{} MB is over the page size limit of {} MB; skipped",
            file.size / 1_000_000,
            max_bytes / 1_000_000
        ));
    }
    let bytes = match read_capped(&file.path, max_bytes) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            return unreadable(format!(
                "grew over the page size limit of {} MB while being read; skipped",
                max_bytes / 1_000_000
            ));
        }
        Err(error) => return unreadable(error.to_string()),
    };
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    let mut entry = PageEntry {
        size: bytes.len() as u64,
        modified_ns: file.modified_ns,
        hash,
        stories: Vec::new(),
    };
    if file.known_hash == Some(hash) {
        return Outcome::Touched {
            key: file.key().into_owned(),
            entry,
        };
    }
    let page = Page {
        path: PathBuf::from(file.source()),
        bytes,
        modified: file.modified.map(time::OffsetDateTime::from),
    };
    match extract::articles(&page) {
        Ok(articles) => {
            let mut stories: Vec<u64> = articles.iter().map(extract::Article::id).collect();
            stories.sort_unstable();
            stories.dedup();
            entry.stories = stories;
            Outcome::Extracted {
                key: file.key().into_owned(),
                source: file.source(),
                entry,
                articles,
            }
        }
        Err(error) => Outcome::Rejected {
            key: file.key().into_owned(),
            path: file.path.clone(),
            error,
        },
    }
}

/// Reads at most `max` bytes; `None` when the file holds more (it grew since the walk).
fn read_capped(path: &Path, max: u64) -> std::io::Result<Option<Vec<u8>>> {
    let file = fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= max).then_some(bytes))
}

/// The state of one run.
struct Run<'a> {
    store: Box<dyn Store + 'a>,
    manifest: Manifest,
    /// Ids of the stories the last commit holds.
    committed_ids: HashSet<u64>,
    /// The first commit of each headline and city the index has held (while this run
    /// lasts, also of stories taken out since): a new story under one of them is an
    /// updated version.
    headlines: HashMap<u64, u64>,
    /// Stories written in this run (a story on pages of several batches is written more
    /// than once, and counted once).
    written: HashSet<u64>,
    /// Whether the manifest (and so perhaps the index) changed since the last commit: an
    /// unchanged folder costs no commit.
    changed: bool,
    /// Stories changed since the last commit (`None`: gone), handed to the store at the
    /// commit: a story on pages of several batches is analysed once a commit, not once
    /// a batch, and the store never needs to show uncommitted work.
    pending: BTreeMap<u64, Option<Story>>,
    summary: Summary,
    on_event: &'a mut dyn FnMut(Event<'_>),
}

impl<'a> Run<'a> {
    fn new(
        mut store: Box<dyn Store + 'a>,
        on_event: &'a mut dyn FnMut(Event<'_>),
    ) -> Result<Run<'a>> {
        let manifest = match store.manifest() {
            Ok(manifest) => manifest,
            Err(error) => {
                on_event(Event::Warning {
                    path: Path::new(store.name()),
                    message: format!("{error:#}; every page will be read again"),
                });
                Manifest::default()
            }
        };
        let committed_ids = store.ids(&manifest)?;
        let headlines = store.headlines()?;
        Ok(Run {
            store,
            manifest,
            committed_ids,
            headlines,
            written: HashSet::new(),
            changed: false,
            pending: BTreeMap::new(),
            summary: Summary::default(),
            on_event,
        })
    }

    fn warn(&mut self, path: &Path, message: String) {
        self.summary.pages_skipped += 1;
        (self.on_event)(Event::Warning { path, message });
    }

    fn leave_out(&mut self, path: &Path, reason: LeftOut) {
        *self.summary.left_out.entry(reason).or_default() += 1;
        (self.on_event)(Event::LeftOut { path, reason });
    }

    fn notice(&mut self, notice: Notice<'_>) {
        match notice {
            Notice::Unreadable { path, message } => self.warn(path, message),
            Notice::LeftOut { path, reason } => self.leave_out(path, reason),
        }
    }

    fn remove_pages(&mut self, removed: Vec<String>) -> Result<()> {
        let mut changes = Changes::default();
        for key in removed {
            if let Some(entry) = self.manifest.pages.remove(&key) {
                self.changed = true;
                changes.affected.extend(entry.stories);
                changes.changed_pages.insert(key);
                self.summary.pages_removed += 1;
            }
        }
        self.write(changes)
    }

    /// Applies a batch of read pages to the manifest and the writer.
    fn apply(&mut self, outcomes: Vec<Outcome>) -> Result<()> {
        let mut changes = Changes::default();
        for outcome in outcomes {
            match outcome {
                Outcome::Extracted {
                    key,
                    source,
                    entry,
                    articles,
                } => {
                    self.summary.pages_read += 1;
                    self.summary.articles_read += articles.len();
                    if let Some(old) = self.manifest.pages.get(&key) {
                        changes.affected.extend(old.stories.iter().copied());
                    }
                    for article in articles {
                        let id = article.id();
                        changes.affected.insert(id);
                        let appearance = Appearance::new(&article, &key, &source);
                        let fresh = changes.fresh.entry(id).or_insert_with(|| Fresh {
                            body: article.body,
                            lang: article.lang,
                            appearances: Vec::new(),
                        });
                        fresh.appearances.push(appearance);
                    }
                    changes.changed_pages.insert(key.clone());
                    self.manifest.pages.insert(key, entry);
                    self.changed = true;
                }
                Outcome::Touched { key, mut entry } => {
                    self.summary.pages_unchanged += 1;
                    if let Some(known) = self.manifest.pages.get_mut(&key) {
                        entry.stories = std::mem::take(&mut known.stories);
                    }
                    self.manifest.pages.insert(key, entry);
                    self.changed = true;
                }
                Outcome::Rejected { key, path, error } => {
                    // A page whose new content has no articles loses its old ones.
                    if let Some(old) = self.manifest.pages.remove(&key) {
                        self.changed = true;
                        changes.affected.extend(old.stories);
                        changes.changed_pages.insert(key);
                    }
                    match error {
                        PageError::NotAPage(what) => self.leave_out(&path, LeftOut::Content(what)),
                        error => self.warn(&path, error.to_string()),
                    }
                }
                Outcome::Unreadable { path, message } => self.warn(&path, message),
            }
        }
        self.write(changes)
    }

    /// Rewrites every story the changes touch: its appearances on unchanged pages stay,
    /// those on changed pages are replaced by what the pages say now.
    fn write(&mut self, mut changes: Changes) -> Result<()> {
        let affected = std::mem::take(&mut changes.affected);
        // Stored stories are fetched together: one request for a cluster, not one each.
        let wanted: Vec<u64> = affected
            .iter()
            .filter(|id| !self.pending.contains_key(id) && self.committed_ids.contains(id))
            .copied()
            .collect();
        let mut loaded = self.store.load(&wanted)?;
        for id in affected {
            let stored = match self.pending.remove(&id) {
                Some(pending) => pending,
                None => loaded.remove(&id),
            };
            let fresh = changes.fresh.remove(&id);
            match merge(id, stored, fresh, &changes.changed_pages) {
                Merged::Absent => {
                    // Gone already since the last commit: it stays gone.
                    if self.committed_ids.contains(&id) {
                        self.pending.insert(id, None);
                    }
                }
                Merged::Removed => {
                    self.pending.insert(id, None);
                }
                Merged::Written { story, duplicates } => {
                    self.summary.articles_deduplicated += duplicates;
                    self.pending.insert(id, Some(story));
                    self.written.insert(id);
                }
            }
        }
        Ok(())
    }

    /// Commits the store with a manifest that lists exactly the pages it holds.
    fn commit(&mut self) -> Result<()> {
        if !self.changed {
            return Ok(());
        }
        let generation = self.manifest.generation + 1;
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        for (id, story) in std::mem::take(&mut self.pending) {
            let committed = self.committed_ids.contains(&id);
            match story {
                Some(mut story) => {
                    if story.indexed.is_none() {
                        story.indexed = self.first_indexed(&story, committed, generation, now)?;
                    }
                    if let Some(indexed) = story.indexed {
                        let first = self
                            .headlines
                            .entry(story.headline_key())
                            .or_insert(indexed.headline_generation);
                        *first = (*first).min(indexed.headline_generation);
                    }
                    self.store.put(&story, committed)?;
                    self.committed_ids.insert(id);
                }
                None => {
                    // Counted here, not when merged: a story whose page was renamed is
                    // taken out and put back before the commit.
                    if committed {
                        self.store.delete(id)?;
                        self.summary.stories_removed += 1;
                    }
                    self.committed_ids.remove(&id);
                }
            }
        }
        self.manifest.generation = generation;
        self.store.commit(&self.manifest)?;
        self.changed = false;
        Ok(())
    }

    /// When a story written in this commit came into the index: as the committed index
    /// has it, for a story taken out and put back before the commit (a page renamed);
    /// else now, in this commit, and it counts as new. A new story under the headline
    /// and city of a committed one is that story updated: it keeps the headline's first
    /// commit.
    fn first_indexed(
        &mut self,
        story: &Story,
        committed: bool,
        generation: u64,
        now: i64,
    ) -> Result<Option<Indexed>> {
        if committed
            && let Some(indexed) = self
                .store
                .load(&[story.id])?
                .remove(&story.id)
                .and_then(|s| s.indexed)
        {
            return Ok(Some(indexed));
        }
        self.summary.stories_new += 1;
        let headline_generation = self
            .headlines
            .get(&story.headline_key())
            .map_or(generation, |&earlier| earlier.min(generation));
        Ok(Some(Indexed {
            generation,
            at: now,
            headline_generation,
        }))
    }
}

/// What a batch changes.
#[derive(Default)]
struct Changes {
    /// Pages whose appearances are replaced (changed, emptied or removed pages).
    changed_pages: HashSet<String>,
    /// Stories to rewrite, in id order so that runs are repeatable.
    affected: BTreeSet<u64>,
    /// Stories as the changed pages have them now.
    fresh: HashMap<u64, Fresh>,
}

/// A story as the changed pages of a batch have it now.
struct Fresh {
    body: String,
    lang: String,
    /// One per changed page that has it (a page that lists it twice, twice).
    appearances: Vec<Appearance>,
}

/// A story after a batch.
#[derive(Debug)]
enum Merged {
    /// No page has it, and it was not stored either.
    Absent,
    /// Stored, but no page has it any more: it leaves the index.
    Removed,
    /// Its appearances now; `duplicates` counts the fresh ones that were not its first.
    Written { story: Story, duplicates: usize },
}

/// Merges a story: its stored appearances on pages that did not change stay, those on
/// changed pages (changed, emptied or removed) are replaced by what the pages say now.
/// The body and language are the fresh ones where a page gave it again.
fn merge(
    id: u64,
    stored: Option<Story>,
    fresh: Option<Fresh>,
    changed_pages: &HashSet<String>,
) -> Merged {
    let mut appearances: Vec<Appearance> = stored
        .as_ref()
        .map(|story| {
            story
                .appearances
                .iter()
                .filter(|a| !changed_pages.contains(&a.page))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let mut duplicates = 0;
    let indexed = stored.as_ref().and_then(|story| story.indexed);
    let (body, lang) = match (fresh, stored) {
        (Some(fresh), _) => {
            // Every appearance but a story's first is a duplicate read.
            duplicates = fresh.appearances.len() - usize::from(appearances.is_empty());
            appearances.extend(fresh.appearances);
            (fresh.body, fresh.lang)
        }
        (None, Some(story)) => (story.body, story.lang),
        (None, None) => return Merged::Absent,
    };
    if appearances.is_empty() {
        return Merged::Removed;
    }
    let mut story = Story::new(id, body, lang, appearances);
    story.indexed = indexed;
    Merged::Written { story, duplicates }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "De gemeenteraad heeft tot diep in de nacht vergaderd over de begroting.";

    fn appearance(page: &str) -> Appearance {
        let page_text = format!("Raad vergadert lang\nAMSTERDAM (ANP) - {BODY}\n");
        let article = extract::articles(&Page {
            path: "p.txt".into(),
            bytes: page_text.into_bytes(),
            modified: None,
        })
        .expect("a page with a dateline")
        .remove(0);
        assert_eq!(article.body, BODY);
        Appearance::new(&article, page, page)
    }

    fn id() -> u64 {
        extract::story_id(BODY)
    }

    fn stored(pages: &[&str]) -> Option<Story> {
        let appearances = pages.iter().map(|p| appearance(p)).collect();
        Some(Story::new(id(), BODY.into(), "nl".into(), appearances))
    }

    fn fresh(pages: &[&str]) -> Option<Fresh> {
        Some(Fresh {
            body: BODY.into(),
            lang: "nl".into(),
            appearances: pages.iter().map(|p| appearance(p)).collect(),
        })
    }

    fn changed(pages: &[&str]) -> HashSet<String> {
        pages.iter().map(|p| p.to_string()).collect()
    }

    /// The pages a written story is on, and its duplicates; `None` when not written.
    fn written(merged: Merged) -> Option<(Vec<String>, usize)> {
        match merged {
            Merged::Written { story, duplicates } => {
                assert_eq!(story.id, id());
                let mut pages: Vec<String> =
                    story.appearances.iter().map(|a| a.page.clone()).collect();
                pages.sort();
                Some((pages, duplicates))
            }
            _ => None,
        }
    }

    fn pages(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn a_story_on_two_pages_keeps_the_unchanged_one_when_the_other_drops_it() {
        let merged = merge(id(), stored(&["a", "b"]), None, &changed(&["b"]));
        assert_eq!(written(merged), Some((pages(&["a"]), 0)));
    }

    #[test]
    fn a_changed_page_that_still_has_the_story_replaces_its_appearance() {
        let merged = merge(id(), stored(&["a", "b"]), fresh(&["b"]), &changed(&["b"]));
        assert_eq!(written(merged), Some((pages(&["a", "b"]), 1)));
    }

    #[test]
    fn a_story_whose_pages_are_all_removed_leaves_the_index() {
        let merged = merge(id(), stored(&["a", "b"]), None, &changed(&["a", "b"]));
        assert!(matches!(merged, Merged::Removed), "{merged:?}");
        // A page removed that never had it changes nothing.
        let merged = merge(id(), stored(&["a"]), None, &changed(&["c"]));
        assert_eq!(written(merged), Some((pages(&["a"]), 0)));
    }

    #[test]
    fn a_story_that_moves_pages_is_on_the_new_page_only() {
        let merged = merge(id(), stored(&["a"]), fresh(&["c"]), &changed(&["a", "c"]));
        assert_eq!(written(merged), Some((pages(&["c"]), 0)));
    }

    #[test]
    fn a_new_page_adds_to_a_stored_story() {
        let merged = merge(id(), stored(&["a"]), fresh(&["b"]), &changed(&["b"]));
        assert_eq!(written(merged), Some((pages(&["a", "b"]), 1)));
    }

    #[test]
    fn duplicates_within_a_batch_count_all_but_the_first() {
        // A page that lists the story twice shows it once, and counts the second read.
        let merged = merge(id(), None, fresh(&["a", "b", "b"]), &changed(&["a", "b"]));
        assert_eq!(written(merged), Some((pages(&["a", "b"]), 2)));
    }

    #[test]
    fn a_story_neither_stored_nor_on_a_page_is_absent() {
        let merged = merge(id(), None, None, &changed(&["a"]));
        assert!(matches!(merged, Merged::Absent), "{merged:?}");
    }
}

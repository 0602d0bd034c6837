//! `index --watch`: after a first run, the folders are watched and every batch of
//! changes is indexed and committed, by the same [`Indexer`] as a run (so a kill at any
//! moment leaves the last commit, and the next start catches up from the manifest).
//!
//! The OS tells what changed (notify: inotify, FSEvents, ReadDirectoryChangesW); where it
//! cannot (its watch limit is reached, or `--poll` for a network folder), the folders are
//! looked at every [`POLL_INTERVAL`]. A path is read once it has been quiet for a while:
//! [`SETTLED`] after a sign that a write is over (the file closed after writing, moved in,
//! deleted), [`QUIET`] after any other change. notify's own debouncers were not used:
//! they hand over a path that keeps changing after their timeout, which is a page still
//! being written.

use super::update::{Event, Indexer, Options, Summary};
use super::walk::Focus;
use anyhow::{Context, Result};
use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind, RenameMode};
use notify::{RecursiveMode, Watcher};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long a path must be quiet after a write ended before it is read.
const SETTLED: Duration = Duration::from_millis(250);
/// How long a path must be quiet after any other change before it is read.
const QUIET: Duration = Duration::from_millis(1000);
/// How often the loop looks at the changes (and at a stop request).
const TICK: Duration = Duration::from_millis(50);
/// How often the folders are looked at when polling.
pub const POLL_INTERVAL: Duration = Duration::from_secs(2);
/// Changes read in one batch at most: a folder copied in is committed in steps.
const MAX_BATCH: usize = 5_000;

/// Indexes the pages under `roots`, then watches them until `options.stop` is set,
/// indexing each batch of changes. Reports [`Event::Updated`] after the first run and
/// after every batch that changed something, [`Event::Watching`] when watching starts
/// and when it falls back to polling.
pub fn watch(mut indexer: Indexer<'_>, options: &Options, poll: bool) -> Result<()> {
    let paths: Vec<PathBuf> = indexer.paths().map(Path::to_path_buf).collect();
    let index_dir = indexer.index_dir().map(Path::to_path_buf);
    let (sender, changes) = mpsc::channel();
    // The watcher goes up before the first run, so that nothing written during the run
    // is missed.
    let (mut source, why) = if poll {
        (Source::poll(&sender, &paths)?, None)
    } else {
        match Source::notify(&sender, &paths) {
            Ok(source) => (source, None),
            Err(error) => (Source::poll(&sender, &paths)?, Some(error)),
        }
    };
    let mut first = indexer.update(None)?;
    first.interrupted = false;
    indexer.report(Event::Updated { summary: &first });
    indexer.report(Event::Watching {
        polling: source.polling(),
        why: why.as_ref().map(|e| format!("{e:#}")),
    });
    let mut pending = Pending::default();
    while !options.stop.load(Ordering::SeqCst) {
        match changes.recv_timeout(TICK) {
            Ok(change) => pending.note(change, index_dir.as_deref()),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        while let Ok(change) = changes.try_recv() {
            pending.note(change, index_dir.as_deref());
        }
        if let Some(error) = pending.limit_reached.take()
            && !source.polling()
        {
            source = Source::poll(&sender, &paths)?;
            // Whatever happened while the watches were incomplete is found by one walk.
            pending.everything = true;
            indexer.report(Event::Watching {
                polling: true,
                why: Some(error),
            });
        }
        let Some(focus) = pending.ready(Instant::now()) else {
            continue;
        };
        let summary = indexer.update(focus.as_ref())?;
        if summary.pages_read
            + summary.pages_removed
            + summary.pages_skipped
            + summary.stories_removed
            > 0
        {
            indexer.report(Event::Updated { summary: &summary });
        }
    }
    drop(source);
    indexer.close()
}

/// Where changes come from: the watcher, kept alive while it is needed.
struct Source {
    _watcher: Box<dyn Watcher>,
    polling: bool,
}

impl Source {
    fn notify(sender: &mpsc::Sender<Change>, paths: &[PathBuf]) -> Result<Source> {
        let mut watcher = notify::recommended_watcher(handler(sender.clone()))
            .context("starting the file watcher")?;
        for path in paths {
            watcher
                .watch(path, RecursiveMode::Recursive)
                .map_err(|e| match e.kind {
                    notify::ErrorKind::MaxFilesWatch => anyhow::anyhow!(
                        "the OS's limit of watched folders is reached (on Linux: fs.inotify.max_user_watches)"
                    ),
                    _ => anyhow::Error::new(e),
                })
                .with_context(|| format!("watching {}", path.display()))?;
        }
        Ok(Source {
            _watcher: Box::new(watcher),
            polling: false,
        })
    }

    fn poll(sender: &mpsc::Sender<Change>, paths: &[PathBuf]) -> Result<Source> {
        let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
        let mut watcher = notify::PollWatcher::new(handler(sender.clone()), config)
            .context("starting the folder poller")?;
        for path in paths {
            watcher
                .watch(path, RecursiveMode::Recursive)
                .with_context(|| format!("watching {}", path.display()))?;
        }
        Ok(Source {
            _watcher: Box::new(watcher),
            polling: true,
        })
    }

    fn polling(&self) -> bool {
        self.polling
    }
}

/// What the watcher thread hands over.
enum Change {
    /// Paths that changed; `settled` when the change ends a write.
    Paths { paths: Vec<PathBuf>, settled: bool },
    /// Events were lost (a queue overflowed): everything must be looked at.
    Everything,
    /// The OS's watch limit was reached for a folder created since.
    LimitReached(String),
}

/// Turns notify's events into [`Change`]s, on the watcher's thread. Opening and reading
/// a file is an event too (our own reads of every page): those are dropped here.
fn handler(sender: mpsc::Sender<Change>) -> impl notify::EventHandler {
    move |event: notify::Result<notify::Event>| {
        let change = match event {
            Ok(event) if event.need_rescan() => Change::Everything,
            Ok(event) => {
                let settled = match event.kind {
                    EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
                    EventKind::Access(_) | EventKind::Other => return,
                    EventKind::Remove(_)
                    | EventKind::Modify(ModifyKind::Name(
                        RenameMode::To | RenameMode::From | RenameMode::Both,
                    )) => true,
                    _ => false,
                };
                Change::Paths {
                    paths: event.paths,
                    settled,
                }
            }
            Err(error) if matches!(error.kind, notify::ErrorKind::MaxFilesWatch) => {
                Change::LimitReached(
                    "the OS's limit of watched folders is reached (on Linux: fs.inotify.max_user_watches)"
                        .to_string(),
                )
            }
            // Other watcher errors (a folder gone while being added) are found by the
            // next walk of what changed.
            Err(_) => return,
        };
        let _ = sender.send(change);
    }
}

/// Changes not read yet.
#[derive(Default)]
struct Pending {
    /// When each path last changed, and whether that change ended a write.
    paths: HashMap<PathBuf, (Instant, bool)>,
    /// Walk everything next time.
    everything: bool,
    /// The watch limit was reached: why.
    limit_reached: Option<String>,
}

impl Pending {
    fn note(&mut self, change: Change, index_dir: Option<&Path>) {
        match change {
            Change::Paths { paths, settled } => {
                let now = Instant::now();
                for path in paths {
                    // Our own commits are not changes to the pages.
                    if index_dir.is_some_and(|dir| path.starts_with(dir)) {
                        continue;
                    }
                    // An edited ignore file can leave out, or let in, anything under it.
                    if is_ignore_file(&path) {
                        self.everything = true;
                    }
                    self.paths.insert(path, (now, settled));
                }
            }
            Change::Everything => self.everything = true,
            Change::LimitReached(why) => self.limit_reached = Some(why),
        }
    }

    /// What to read now: `Some(None)` for everything, `Some(Some(focus))` for the paths
    /// that are quiet, `None` while nothing is.
    fn ready(&mut self, now: Instant) -> Option<Option<Focus>> {
        if self.everything {
            self.everything = false;
            self.paths.clear();
            return Some(None);
        }
        let mut ready = Vec::new();
        self.paths.retain(|path, (changed, settled)| {
            let wait = if *settled { SETTLED } else { QUIET };
            let quiet = now.duration_since(*changed) >= wait;
            if quiet && ready.len() < MAX_BATCH {
                ready.push(path.clone());
                false
            } else {
                true
            }
        });
        (!ready.is_empty()).then(|| Some(Focus::new(ready)))
    }
}

fn is_ignore_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|name| name == ".gitignore" || name == ".ignore")
}

impl Summary {
    /// `+12 pages, 31 articles, 3 new stories`, and what was taken out.
    pub fn batch_line(&self) -> String {
        let mut parts = Vec::new();
        if self.pages_read > 0 || self.pages_removed == 0 {
            parts.push(format!(
                "+{} pages, {} articles, {} new stories",
                self.pages_read, self.articles_read, self.stories_new
            ));
        }
        if self.pages_removed > 0 || self.stories_removed > 0 {
            parts.push(format!(
                "-{} pages, {} stories taken out",
                self.pages_removed, self.stories_removed
            ));
        }
        if self.pages_skipped > 0 {
            parts.push(format!("{} skipped", self.pages_skipped));
        }
        parts.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(path: &str, settled: bool) -> Change {
        Change::Paths {
            paths: vec![PathBuf::from(path)],
            settled,
        }
    }

    #[test]
    fn a_path_is_read_once_quiet_and_sooner_when_its_write_ended() {
        let mut pending = Pending::default();
        pending.note(change("/p/a.html", false), None);
        pending.note(change("/p/b.html", true), None);
        let start = Instant::now();
        assert!(pending.ready(start).is_none());
        let focus = pending.ready(start + SETTLED).unwrap().unwrap();
        assert!(focus.holds(Path::new("/p/b.html")));
        assert!(!focus.holds(Path::new("/p/a.html")));
        let focus = pending.ready(start + QUIET).unwrap().unwrap();
        assert!(focus.holds(Path::new("/p/a.html")));
        assert!(pending.ready(start + QUIET * 2).is_none());
    }

    #[test]
    fn the_index_folder_is_not_watched_and_an_ignore_file_means_everything() {
        let mut pending = Pending::default();
        pending.note(
            change("/p/index/meta.json", true),
            Some(Path::new("/p/index")),
        );
        assert!(pending.ready(Instant::now() + QUIET).is_none());
        pending.note(change("/p/.ignore", true), Some(Path::new("/p/index")));
        assert!(matches!(pending.ready(Instant::now()), Some(None)));
    }
}

//! Saved searches (`dateline follow`): what is new about a subject since it was last
//! shown.
//!
//! New means first indexed after the last showing, by the commit numbers the index gives
//! its stories ([`index::Indexed`]): a wire item found again on a later page is the same
//! story (the same body), so it is not new; a story whose body changed under the same
//! headline and dateline city is shown once, as updated. Each saved search remembers
//! the newest commit its last showing saw.
//!
//! The saved searches live in the index folder, in a dot file that `--rebuild` keeps
//! (for a cluster index, in this user's state folder: [`Archive::state_dir`]).
//! Every change takes a file lock and writes a new file that replaces the old one, so
//! two runs at once take turns: the second sees what the first showed.

use crate::archive::Archive;
use crate::index;
use crate::search::{self, Criteria, Hit, Sort};
use crate::usage_error;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::PathBuf;
use time::OffsetDateTime;

/// The saved searches, in the index folder.
const STATE: &str = ".dateline-follow.json";
/// Held while the saved searches are read and changed.
const LOCK: &str = ".dateline-follow.lock";

/// One saved search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    /// Its name.
    pub name: String,
    /// The query and filters, as typed.
    pub criteria: Criteria,
    /// The index its mark is for ([`index::identity`]): a rebuilt index numbers its
    /// commits anew.
    index: u64,
    /// The newest commit its last showing saw.
    seen: u64,
    /// When it was last shown (or saved), in unix seconds.
    pub shown_at: i64,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct State {
    searches: Vec<Saved>,
}

/// What one saved search has that is new.
#[derive(Debug, Clone)]
pub struct Followed {
    /// The saved search.
    pub saved: Saved,
    /// Stories first indexed since the last showing, newest first.
    pub new: Vec<Hit>,
    /// New versions of stories shown before (the same headline and city, another
    /// body), newest first.
    pub updated: Vec<Hit>,
    /// Whether the index was rebuilt since the last showing: the mark starts again from
    /// now, and nothing is shown as new this time.
    pub restarted: bool,
}

/// The index folder's saved searches, locked for as long as this lives.
struct Locked {
    dir: PathBuf,
    state: State,
    _lock: fs::File,
}

impl Locked {
    /// Takes the lock (waiting for another `follow` to finish) and reads the state.
    fn open(archive: &Archive) -> Result<Locked> {
        let dir = &archive.state_dir()?;
        let path = dir.join(LOCK);
        let lock =
            fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        lock.lock()
            .with_context(|| format!("locking {}", path.display()))?;
        let state_path = dir.join(STATE);
        let state = match fs::read(&state_path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .with_context(|| format!("reading saved searches from {}", state_path.display()))?,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => State::default(),
            Err(error) => {
                return Err(error).with_context(|| format!("reading {}", state_path.display()));
            }
        };
        Ok(Locked {
            dir: dir.to_path_buf(),
            state,
            _lock: lock,
        })
    }

    /// Writes the state whole: a kill leaves the old state or the new, never half.
    fn save(&self) -> Result<()> {
        index::write_whole(&self.dir, STATE, |out| {
            serde_json::to_writer_pretty(&mut *out, &self.state)?;
            out.write_all(b"\n")
        })
    }

    /// Where the saved search `name` is; an unknown name is a usage error.
    fn position(&self, name: &str) -> Result<usize> {
        self.state
            .searches
            .iter()
            .position(|s| s.name == name)
            .ok_or_else(|| {
                let known: Vec<String> =
                    self.state.searches.iter().map(|s| s.name.clone()).collect();
                unknown(name, &known)
            })
    }
}

fn unknown(name: &str, known: &[String]) -> anyhow::Error {
    if known.is_empty() {
        usage_error(format!(
            "no saved search named '{name}'; there are none yet: dateline follow add <NAME> <QUERY>"
        ))
    } else {
        usage_error(format!(
            "no saved search named '{name}'; saved: {}",
            known.join(", ")
        ))
    }
}

/// The index's identity and newest commit.
struct Snapshot {
    identity: u64,
    newest: u64,
}

impl Snapshot {
    fn of(archive: &Archive) -> Result<Snapshot> {
        Ok(Snapshot {
            newest: archive.newest_generation()?,
            identity: archive.identity()?,
        })
    }
}

/// What [`add`] did: how the search answers now (none of its articles new to it), with
/// search's corrections and the filters that leave nothing, to say when it finds none.
pub type Added = search::Hits;

/// Saves a search under `name`. From now on, what the index gains that matches it is
/// new. A name in use, a name that is not a plain word, and a query that does not parse
/// are usage errors.
pub fn add(archive: &Archive, name: &str, criteria: Criteria) -> Result<Added> {
    check_name(name)?;
    let snapshot = Snapshot::of(archive)?;
    let request = search::Request {
        limit: 0,
        ..criteria.request(OffsetDateTime::now_utc())?
    };
    // The query must run: a bad one is refused now, not at every showing.
    let answer = archive.search(&request)?;
    let mut locked = Locked::open(archive)?;
    if locked.state.searches.iter().any(|s| s.name == name) {
        return Err(usage_error(format!(
            "a saved search named '{name}' exists; remove it first: dateline follow rm {name}"
        )));
    }
    locked.state.searches.push(Saved {
        name: name.to_string(),
        criteria,
        index: snapshot.identity,
        seen: snapshot.newest,
        shown_at: OffsetDateTime::now_utc().unix_timestamp(),
    });
    locked.save()?;
    Ok(answer)
}

/// Names go on command lines and in URLs: letters, digits, `-`, `_` and `.`; not the
/// words of `follow`'s own commands.
fn check_name(name: &str) -> Result<()> {
    if ["add", "list", "rm"].contains(&name) {
        return Err(usage_error(format!(
            "'{name}' is a follow command; choose another name"
        )));
    }
    let plain = !name.is_empty()
        && name.len() <= 64
        && !name.starts_with(['-', '.'])
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if plain {
        Ok(())
    } else {
        Err(usage_error(format!(
            "'{name}' cannot name a saved search: use letters, digits, - and _ (e.g. kim-jong-un)"
        )))
    }
}

/// Removes the saved search `name`; an unknown name is a usage error.
pub fn remove(archive: &Archive, name: &str) -> Result<Saved> {
    let mut locked = Locked::open(archive)?;
    let at = locked.position(name)?;
    let removed = locked.state.searches.remove(at);
    locked.save()?;
    Ok(removed)
}

/// The saved searches, in the order they were saved.
pub fn list(archive: &Archive) -> Result<Vec<Saved>> {
    Ok(Locked::open(archive)?.state.searches)
}

/// What is new for the saved searches `names` (all of them when empty), in the order
/// given. With `remember`, what is shown now is not new next time.
pub fn show(archive: &Archive, names: &[String], remember: bool) -> Result<Vec<Followed>> {
    let mut locked = Locked::open(archive)?;
    // Read under the lock: a run that waited for another sees the index at least as new
    // as the one the other marked.
    let snapshot = Snapshot::of(archive)?;
    let chosen: Vec<usize> = if names.is_empty() {
        (0..locked.state.searches.len()).collect()
    } else {
        names
            .iter()
            .map(|name| locked.position(name))
            .collect::<Result<_>>()?
    };
    let now = OffsetDateTime::now_utc();
    let mut followed = Vec::new();
    for at in chosen {
        let saved = &mut locked.state.searches[at];
        let restarted = saved.index != snapshot.identity;
        let (new, updated) = if restarted {
            (Vec::new(), Vec::new())
        } else {
            news(archive, saved, now)?
        };
        let before = saved.clone();
        if remember || restarted {
            saved.index = snapshot.identity;
            saved.seen = if restarted {
                snapshot.newest
            } else {
                saved.seen.max(snapshot.newest)
            };
            saved.shown_at = now.unix_timestamp();
        }
        followed.push(Followed {
            saved: before,
            new,
            updated,
            restarted,
        });
    }
    if remember || followed.iter().any(|f| f.restarted) {
        locked.save()?;
    }
    Ok(followed)
}

/// The stories that match `saved` and came into the index after its mark, split into
/// new and updated.
fn news(archive: &Archive, saved: &Saved, now: OffsetDateTime) -> Result<(Vec<Hit>, Vec<Hit>)> {
    let request = search::Request {
        limit: usize::MAX,
        sort: Sort::Date,
        new_after: Some(saved.seen),
        ..saved.criteria.request(now)?
    };
    let hits = archive.search_as_typed(&request)?.hits;
    let arrivals = hits.into_iter().map(|hit| {
        let indexed = hit.indexed.unwrap_or(index::Indexed {
            generation: 0,
            at: 0,
            headline_generation: 0,
        });
        Arrival {
            headline: hit.headline,
            generation: indexed.generation,
            headline_generation: indexed.headline_generation,
            item: hit,
        }
    });
    Ok(sort_out(arrivals, saved.seen))
}

/// A story that came in since a mark, with what tells new from updated.
struct Arrival<T> {
    headline: u64,
    generation: u64,
    headline_generation: u64,
    item: T,
}

/// New and updated stories, in the order given. A story is updated when its headline
/// and city were in the index at the mark; of several versions that came in since, only
/// the newest is kept.
fn sort_out<T>(arrivals: impl Iterator<Item = Arrival<T>>, seen: u64) -> (Vec<T>, Vec<T>) {
    let arrivals: Vec<Arrival<T>> = arrivals.collect();
    let mut newest: HashMap<u64, u64> = HashMap::new();
    for arrival in &arrivals {
        let entry = newest.entry(arrival.headline).or_default();
        *entry = (*entry).max(arrival.generation);
    }
    let mut new = Vec::new();
    let mut updated = Vec::new();
    for arrival in arrivals {
        if newest.get(&arrival.headline) != Some(&arrival.generation) {
            continue;
        }
        newest.remove(&arrival.headline);
        if arrival.headline_generation <= seen {
            updated.push(arrival.item);
        } else {
            new.push(arrival.item);
        }
    }
    (new, updated)
}

/// How many new and updated stories a saved search has, as [`show`] would show them,
/// without reading a story: for a page that lists the saved searches on every load,
/// with the archive it keeps. On a cluster, the stories are read.
pub fn counts(archive: &Archive) -> Result<Vec<(Saved, usize, usize)>> {
    let locked = Locked::open(archive)?;
    let snapshot = Snapshot::of(archive)?;
    let now = OffsetDateTime::now_utc();
    let mut counts = Vec::new();
    for saved in locked.state.searches {
        if saved.index != snapshot.identity {
            counts.push((saved, 0, 0));
            continue;
        }
        let Archive::Local { reader, .. } = archive else {
            let (new, updated) = news(archive, &saved, now)?;
            counts.push((saved, new.len(), updated.len()));
            continue;
        };
        let searcher = reader.searcher();
        let request = search::Request {
            limit: 0,
            new_after: Some(saved.seen),
            ..saved.criteria.request(now)?
        };
        let addresses = search::matching_addresses(&searcher, &request)?;
        let mut arrivals = Vec::with_capacity(addresses.len());
        for address in addresses {
            let segment = searcher.segment_reader(address.segment_ord);
            let fast = segment.fast_fields();
            let value = |name: &str| -> Result<u64> {
                Ok(fast.u64(name)?.first(address.doc_id).unwrap_or(0))
            };
            arrivals.push(Arrival {
                headline: value(crate::index::schema::HEADLINE)?,
                generation: value(crate::index::schema::GENERATION)?,
                headline_generation: value(crate::index::schema::HEADLINE_GENERATION)?,
                item: (),
            });
        }
        let (new, updated) = sort_out(arrivals.into_iter(), saved.seen);
        counts.push((saved, new.len(), updated.len()));
    }
    Ok(counts)
}

impl Saved {
    /// Whether a hit came into the index since this search was last shown.
    pub fn is_new(&self, hit: &Hit) -> bool {
        hit.indexed.is_some_and(|i| i.generation > self.seen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arrival(headline: u64, generation: u64, headline_generation: u64) -> Arrival<u64> {
        Arrival {
            headline,
            generation,
            headline_generation,
            item: generation,
        }
    }

    #[test]
    fn a_story_is_new_once_and_an_updated_headline_shows_its_newest_version() {
        // Seen up to commit 5. Headline 1 first came in at 3 (shown), again at 6 and 7;
        // headline 2 came in at 6 and again at 8, both after the mark.
        let arrivals = vec![
            arrival(2, 8, 6),
            arrival(1, 7, 3),
            arrival(2, 6, 6),
            arrival(1, 6, 3),
            arrival(3, 9, 9),
        ];
        let (new, updated) = sort_out(arrivals.into_iter(), 5);
        assert_eq!(new, vec![8, 9]);
        assert_eq!(updated, vec![7]);
    }

    #[test]
    fn names_are_plain_words() {
        assert!(check_name("kim-jong-un").is_ok());
        assert!(check_name("oekraïne_2026").is_ok());
        for bad in ["", "-x", ".x", "a b", "a/b", "a?b", "add", "rm"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }
}

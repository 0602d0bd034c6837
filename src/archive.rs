//! Where the articles are: a local index folder or a cluster index (`--index` as a path
//! or a URL). The commands that read articles ask an [`Archive`] and need not know which.

use crate::cluster::{self, Client};
use crate::index::{self, Stats};
use crate::search::timeline::{Period, Split, Timeline};
use crate::search::{self, Article, Hits, Request};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// An index opened for reading.
pub enum Archive {
    /// A folder, with its reader.
    Local {
        dir: PathBuf,
        index: tantivy::Index,
        reader: tantivy::IndexReader,
    },
    /// A cluster index.
    Cluster(Client),
}

impl Archive {
    /// Opens the index `--index` names. With `follow_commits`, a local reader sees
    /// what `index` runs commit while it is open (a server); a cluster always does.
    pub fn open(location: &Path, follow_commits: bool) -> Result<Archive> {
        let text = location.to_string_lossy();
        if cluster::is_url(&text) {
            let address = cluster::Address::parse(&text)?;
            return Ok(Archive::Cluster(cluster::open(&address)?));
        }
        let index = index::open(location)?;
        let reader = if follow_commits {
            index
                .reader_builder()
                .reload_policy(tantivy::ReloadPolicy::OnCommitWithDelay)
                .try_into()
                .map_err(|e| anyhow::anyhow!("opening the index for reading: {e}"))?
        } else {
            index::reader(&index)?
        };
        Ok(Archive::Local {
            dir: location.to_path_buf(),
            index,
            reader,
        })
    }

    /// A search as given: no typo correction, no any-word retry (saved searches).
    pub fn search_as_typed(&self, request: &Request) -> Result<Hits> {
        match self {
            Archive::Local { reader, .. } => search::run_as_typed(&reader.searcher(), request),
            Archive::Cluster(client) => cluster::search::run_as_typed(client, request),
        }
    }

    /// The newest commit whose stories the index holds ([`index::Indexed`]).
    pub fn newest_generation(&self) -> Result<u64> {
        match self {
            Archive::Local { reader, .. } => index::newest_generation(&reader.searcher()),
            Archive::Cluster(client) => cluster::search::newest_generation(client),
        }
    }

    /// What tells this index from one rebuilt in its place.
    pub fn identity(&self) -> Result<u64> {
        match self {
            Archive::Local { dir, .. } => Ok(index::identity(dir)),
            Archive::Cluster(client) => cluster::search::identity(client),
        }
    }

    /// Where this user's saved searches of the index are kept: in a local index's
    /// folder; for a cluster, on this machine (`$XDG_STATE_HOME/dateline`, else
    /// `~/.local/state/dateline`), one file per cluster index: what one person has seen
    /// is not what another has.
    pub fn state_dir(&self) -> Result<PathBuf> {
        match self {
            Archive::Local { dir, .. } => Ok(dir.clone()),
            Archive::Cluster(client) => {
                let base = std::env::var_os("XDG_STATE_HOME")
                    .filter(|v| !v.is_empty())
                    .map(PathBuf::from)
                    .or_else(|| {
                        std::env::var_os("HOME")
                            .map(|home| PathBuf::from(home).join(".local/state"))
                    })
                    .ok_or_else(|| {
                        anyhow::anyhow!("no place for saved searches: set HOME or XDG_STATE_HOME")
                    })?;
                let key = xxhash_rust::xxh3::xxh3_64(client.address().to_string().as_bytes());
                let dir = base.join("dateline").join(format!("follow-{key:016x}"));
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
                Ok(dir)
            }
        }
    }

    /// A search with its retries ([`search::run_on`]).
    pub fn search(&self, request: &Request) -> Result<Hits> {
        match self {
            Archive::Local { reader, .. } => search::run_on(&reader.searcher(), request),
            Archive::Cluster(client) => cluster::search::run(client, request),
        }
    }

    /// Articles by id or unique id prefix.
    pub fn find_stories(&self, ids: &[String]) -> Result<Vec<Article>> {
        match self {
            Archive::Local { reader, .. } => search::find_stories(&reader.searcher(), ids),
            Archive::Cluster(client) => cluster::search::find_stories(client, ids),
        }
    }

    /// Every match, in search's order, one at a time.
    pub fn each_match(
        &self,
        request: &Request,
        each: impl FnMut(Article) -> Result<()>,
    ) -> Result<usize> {
        match self {
            Archive::Local { reader, .. } => search::each_match(&reader.searcher(), request, each),
            Archive::Cluster(client) => cluster::search::each_match(client, request, each),
        }
    }

    /// Matches per period.
    pub fn timeline(
        &self,
        request: &Request,
        by: Option<Period>,
        split: Option<Split>,
    ) -> Result<Timeline> {
        match self {
            Archive::Local { reader, .. } => {
                search::timeline::timeline(&reader.searcher(), request, by, split)
            }
            Archive::Cluster(client) => cluster::search::timeline(client, request, by, split),
        }
    }

    /// Matches per language.
    pub fn language_counts(&self, request: &Request) -> Result<Vec<(String, u64)>> {
        match self {
            Archive::Local { reader, .. } => search::language_counts(&reader.searcher(), request),
            Archive::Cluster(client) => cluster::search::language_counts(client, request),
        }
    }

    /// What the index holds.
    pub fn stats(&self) -> Result<Stats> {
        match self {
            Archive::Local { dir, index, .. } => index::stats(index, dir),
            Archive::Cluster(client) => cluster::search::stats(client),
        }
    }
}

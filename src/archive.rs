//! Where the articles are: a local index folder or a cluster index (`--index` as a path
//! or a URL). The commands that read articles ask an [`Archive`] and need not know which.

use crate::cluster::{self, Client};
use crate::index::{self, Stats};
use crate::search::timeline::{Period, Split, Timeline};
use crate::search::{self, Article, Hits, Request};
use anyhow::Result;
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

    /// The local folder, for what works only there yet.
    pub fn folder(&self) -> Option<&Path> {
        match self {
            Archive::Local { dir, .. } => Some(dir),
            Archive::Cluster(_) => None,
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

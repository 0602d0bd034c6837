//! The local store of an indexing run: the tantivy index in a folder, with the manifest
//! beside it. A commit is one atomic step: the tantivy commit names the manifest in its
//! payload.

use super::manifest::{self, Manifest};
use super::schema::Fields;
use super::story::Story;
use super::update::Store;
use anyhow::{Context, Result};
use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, TantivyDocument};
use tantivy::{Index, IndexReader, IndexWriter, Searcher, Term};

/// Segments of one size that tantivy merges into one.
const MERGE_SEGMENTS: usize = 4;

/// The memory tantivy's writer may use before it flushes a segment, over all threads.
const WRITER_MEMORY: usize = 256 * 1024 * 1024;

/// The stored story with this id, if the committed index has it.
fn load_story(searcher: &Searcher, fields: &Fields, id: u64) -> Result<Option<Story>> {
    let query = TermQuery::new(
        Term::from_field_u64(fields.id, id),
        IndexRecordOption::Basic,
    );
    let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    let Some((_, address)) = top.first() else {
        return Ok(None);
    };
    let doc: TantivyDocument = searcher.doc(*address)?;
    Story::from_document(&doc, fields).map(Some)
}

/// The ids of the stories an index holds.
pub fn story_ids(index: &Index) -> Result<HashSet<u64>> {
    stored_ids(&super::reader(index)?.searcher())
}

/// Each headline key an index holds, with the first commit that held it.
fn stored_headlines(searcher: &Searcher) -> Result<HashMap<u64, u64>> {
    let mut headlines: HashMap<u64, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let keys = fast.u64(super::schema::HEADLINE)?;
        let firsts = fast.u64(super::schema::HEADLINE_GENERATION)?;
        for doc in segment.doc_ids_alive() {
            if let (Some(key), Some(first)) = (keys.first(doc), firsts.first(doc)) {
                let known = headlines.entry(key).or_insert(first);
                *known = (*known).min(first);
            }
        }
    }
    Ok(headlines)
}

fn stored_ids(searcher: &Searcher) -> Result<HashSet<u64>> {
    let mut ids = HashSet::new();
    for segment in searcher.segment_readers() {
        let column = segment.fast_fields().u64(super::schema::ID)?;
        ids.extend(segment.doc_ids_alive().filter_map(|doc| column.first(doc)));
    }
    Ok(ids)
}

/// A tantivy index open for writing, holding its folder's lock.
pub(crate) struct LocalStore {
    dir: PathBuf,
    name: String,
    index: Index,
    fields: Fields,
    writer: IndexWriter<TantivyDocument>,
    reader: IndexReader,
    searcher: Searcher,
    _lock: fs::File,
}

impl LocalStore {
    /// Takes the lock of the index at `dir` and opens it (creating it if needed).
    pub(crate) fn open(dir: &Path, rebuild: bool) -> Result<LocalStore> {
        let lock = super::lock(dir)?;
        let index = super::open_or_create(dir, rebuild)?;
        let writer: IndexWriter<TantivyDocument> =
            index.writer(WRITER_MEMORY).map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => anyhow::anyhow!(
                    "another indexing run holds the lock on {}; wait for it to finish",
                    dir.display()
                ),
                other => anyhow::Error::new(other)
                    .context(format!("opening index writer at {}", dir.display())),
            })?;
        // Every segment costs each query its own term lookups and scorers: merging four
        // segments of a size, not tantivy's eight, keeps a freshly built index to a few.
        let mut merge_policy = tantivy::indexer::LogMergePolicy::default();
        merge_policy.set_min_num_segments(MERGE_SEGMENTS);
        writer.set_merge_policy(Box::new(merge_policy));
        let fields = Fields::new(&index.schema())?;
        let reader = super::reader(&index)?;
        let searcher = reader.searcher();
        Ok(LocalStore {
            dir: dir.to_path_buf(),
            name: dir.display().to_string(),
            index,
            fields,
            writer,
            reader,
            searcher,
            _lock: lock,
        })
    }

    fn payload(&self) -> Result<Option<String>> {
        Ok(self
            .index
            .load_metas()
            .context("reading index metadata")?
            .payload)
    }
}

impl Store for LocalStore {
    fn name(&self) -> &str {
        &self.name
    }

    fn manifest(&mut self) -> Result<Manifest> {
        let payload = self.payload()?;
        let manifest = Manifest::load(&self.dir, payload.as_deref());
        // We hold the writer lock: manifests no commit names are a killed run's leftovers.
        manifest::remove_others(&self.dir, payload.as_deref());
        manifest
    }

    fn ids(&mut self, _: &Manifest) -> Result<HashSet<u64>> {
        stored_ids(&self.searcher)
    }

    fn headlines(&mut self) -> Result<HashMap<u64, u64>> {
        stored_headlines(&self.searcher)
    }

    fn load(&mut self, ids: &[u64]) -> Result<HashMap<u64, Story>> {
        let mut stories = HashMap::with_capacity(ids.len());
        for &id in ids {
            if let Some(story) = load_story(&self.searcher, &self.fields, id)? {
                stories.insert(id, story);
            }
        }
        Ok(stories)
    }

    fn put(&mut self, story: &Story, replace: bool) -> Result<()> {
        if replace {
            self.delete(story.id)?;
        }
        self.writer
            .add_document(story.to_document(&self.fields)?)
            .context("adding a story to the index")?;
        Ok(())
    }

    fn delete(&mut self, id: u64) -> Result<()> {
        self.writer
            .delete_term(Term::from_field_u64(self.fields.id, id));
        Ok(())
    }

    fn commit(&mut self, manifest: &Manifest) -> Result<()> {
        let mut prepared = self.writer.prepare_commit().context("preparing commit")?;
        let name = manifest.save(&self.dir, prepared.opstamp())?;
        prepared.set_payload(&name);
        prepared.commit().context("committing index")?;
        manifest::remove_others(&self.dir, Some(&name));
        self.reader.reload().context("reloading index reader")?;
        self.searcher = self.reader.searcher();
        Ok(())
    }

    fn count(&mut self) -> Result<u64> {
        Ok(self.searcher.num_docs())
    }

    fn close(self: Box<Self>) -> Result<()> {
        self.writer
            .wait_merging_threads()
            .context("finishing segment merges")
    }
}

//! The manifest: what dateline knows of each page it has read (size, modification time,
//! content hash, the stories it gave), so that unchanged pages are not read again and a
//! changed or deleted page's stories can be found.
//!
//! It is saved next to the tantivy files under a name that is never reused, and the
//! tantivy commit names it in its payload. The commit is the one atomic step: a run killed
//! before it leaves the previous commit and its manifest; one killed after it leaves both
//! new. Old manifests are removed once a newer commit names another.

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::Path;

const PREFIX: &str = "dateline-manifest-";
const SUFFIX: &str = ".json";

/// What dateline knows of one page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageEntry {
    /// Size in bytes when read.
    pub size: u64,
    /// Modification time when read, in nanoseconds since the epoch.
    pub modified_ns: i64,
    /// xxh3 of the page's bytes: a touched but unchanged page is not extracted again.
    pub hash: u64,
    /// The stories the page gave.
    pub stories: Vec<u64>,
}

/// Every page of the index, by key (absolute path), and the number of the commit that
/// names this manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Pages by key.
    pub pages: BTreeMap<String, PageEntry>,
    /// Commits since the index was created, this one included ([`super::Indexed`]).
    #[serde(default)]
    pub generation: u64,
}

impl Manifest {
    /// Loads the manifest a commit payload names; an index without one has an empty one.
    pub fn load(dir: &Path, payload: Option<&str>) -> Result<Manifest> {
        let Some(name) = payload.filter(|name| is_manifest_name(name)) else {
            return Ok(Manifest::default());
        };
        let path = dir.join(name);
        let bytes =
            fs::read(&path).with_context(|| format!("reading manifest {}", path.display()))?;
        serde_json::from_slice(&bytes)
            .with_context(|| format!("decoding manifest {}", path.display()))
    }

    /// Writes the manifest under a fresh name, durably, and returns the name for the
    /// commit payload.
    pub fn save(&self, dir: &Path, opstamp: u64) -> Result<String> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let name = format!("{PREFIX}{opstamp}-{nanos}{SUFFIX}");
        write_whole(dir, &name, |out| Ok(serde_json::to_writer(out, self)?))?;
        Ok(name)
    }
}

/// Writes `dir/name` whole or not at all: into a temporary file, synced, renamed over
/// the name, and the folder synced, so a kill leaves the old file or the new one.
pub(crate) fn write_whole(
    dir: &Path,
    name: &str,
    write: impl FnOnce(&mut std::io::BufWriter<&mut fs::File>) -> std::io::Result<()>,
) -> Result<()> {
    let temporary = dir.join(format!("{name}.tmp"));
    let path = dir.join(name);
    let steps = || -> std::io::Result<()> {
        let mut file = fs::File::create(&temporary)?;
        let mut writer = std::io::BufWriter::new(&mut file);
        write(&mut writer)?;
        writer.flush()?;
        drop(writer);
        file.sync_all()?;
        fs::rename(&temporary, &path)?;
        if let Ok(dir) = fs::File::open(dir) {
            dir.sync_all()?;
        }
        Ok(())
    };
    steps().with_context(|| format!("writing {}", path.display()))
}

/// Removes manifests other than `keep` (older commits', or a killed run's).
pub fn remove_others(dir: &Path, keep: Option<&str>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with(PREFIX) && Some(name) != keep {
            // A leftover we cannot remove costs only disk space.
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn is_manifest_name(name: &str) -> bool {
    name.starts_with(PREFIX)
        && name.ends_with(SUFFIX)
        && !name.contains(['/', '\\'])
        && !name.contains("..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_and_loads_under_fresh_names() {
        let dir = tempfile::tempdir().unwrap();
        let mut manifest = Manifest::default();
        manifest.pages.insert(
            "/p/a.txt".into(),
            PageEntry {
                size: 3,
                modified_ns: 7,
                hash: 9,
                stories: vec![1, 2],
            },
        );
        let first = manifest.save(dir.path(), 1).unwrap();
        let second = manifest.save(dir.path(), 1).unwrap();
        assert_ne!(first, second);
        assert_eq!(Manifest::load(dir.path(), Some(&second)).unwrap(), manifest);
        remove_others(dir.path(), Some(&second));
        assert!(!dir.path().join(&first).exists());
        assert!(dir.path().join(&second).exists());
        assert_eq!(
            Manifest::load(dir.path(), None).unwrap(),
            Manifest::default()
        );
        assert!(
            Manifest::load(dir.path(), Some("../etc/passwd"))
                .unwrap()
                .pages
                .is_empty()
        );
    }
}

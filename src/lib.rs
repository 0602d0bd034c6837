//! dateline: full-text search for folders of saved Dutch news pages.
//!
//! One way through, one module per stage:
//! pages ([`extract`]) → articles → [`index`] → hits ([`search`]) → printer ([`output`]).
//! A module only uses the modules before it; the `cli` module in the binary wires them together.
//!
//! ```no_run
//! use dateline::{index, search};
//! let index = index::open(std::path::Path::new("index"))?;
//! let hits = search::run(&index, &search::Request::new("Kim Jong-un"))?;
//! let mut out = Vec::new();
//! dateline::output::human::write(&mut out, &hits, false)?;
//! # Ok::<(), anyhow::Error>(())
//! ```

pub mod analysis;
pub mod clock;
pub mod extract;
pub mod follow;
pub mod index;
pub mod output;
pub mod search;
// A second place to keep articles: an OpenSearch cluster, through the same stages.
pub mod cluster;
// Where articles are read from: a local index or a cluster.
pub mod archive;
pub mod serve;

mod usage;
pub use usage::{UsageError, usage_error};

//! Tests of the `dateline` binary on `fixtures/` and the sample page, and of the library
//! through its public API. One test binary (see Cargo.toml), one module per concern.

mod util;

mod corpus;
mod errors;
mod extract;
mod follow;
mod fuzz;
mod html;
mod index;
mod opensearch;
mod queries;
mod readme;
mod robustness;
mod search;
mod serve;
mod walk;
mod watch;
mod workflow;

//! Printers: hits, articles and stats for a terminal ([`human`]) or for scripts
//! ([`json`]). They write to any `io::Write` and see only what the stages before return.

pub mod csv;
pub mod human;
pub mod json;

/// A story id as users see it: 16 hex digits.
pub fn display_id(id: u64) -> String {
    format!("{id:016x}")
}

//! The one typed error that callers branch on: a mistake of the user's (exit code 2).

use std::fmt;

/// A user error: no index yet, a bad query, a flag value that makes no sense.
///
/// `main` walks the error chain for this type to choose exit code 2 over 1
/// (DESIGN.md, "Exit codes").
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Builds an `anyhow::Error` carrying a [`UsageError`].
pub fn usage_error(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UsageError(message.into()))
}

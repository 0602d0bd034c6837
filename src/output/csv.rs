//! `export --format csv`: one row per article, a header row first, RFC 4180 quoting (the
//! `csv` crate's), lists joined with `;`.

use super::display_id;
use crate::clock::rfc3339;
use crate::search::Article;
use std::io::{self, Write};

/// The columns, in order.
pub const COLUMNS: [&str; 16] = [
    "id",
    "score",
    "kind",
    "title",
    "city",
    "agencies",
    "section",
    "lang",
    "published",
    "time_source",
    "outlet",
    "url",
    "sources",
    "pages",
    "urls",
    "body",
];

/// Writes rows of articles under a header row.
pub struct Rows<W: Write> {
    writer: csv::Writer<W>,
}

impl<W: Write> Rows<W> {
    /// Starts the table: writes the header row.
    pub fn new(out: W) -> io::Result<Rows<W>> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(COLUMNS).map_err(into_io)?;
        Ok(Rows { writer })
    }

    /// Writes one article's row.
    pub fn write(&mut self, article: &Article) -> io::Result<()> {
        let hit = &article.hit;
        let or_empty = |value: &Option<String>| value.clone().unwrap_or_default();
        self.writer
            .write_record([
                display_id(hit.id),
                hit.score.to_string(),
                hit.kind.as_str().to_string(),
                hit.title.clone(),
                or_empty(&hit.city),
                hit.agencies.join(";"),
                or_empty(&hit.section),
                hit.lang.clone(),
                hit.published.map(rfc3339).unwrap_or_default(),
                hit.time_source.as_str().to_string(),
                or_empty(&hit.outlet),
                or_empty(&hit.url),
                hit.sources.join(";"),
                article.pages.join(";"),
                article.urls.join(";"),
                article.body.clone(),
            ])
            .map_err(into_io)
    }

    /// Writes out what is buffered.
    pub fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// The csv crate's errors on writing are I/O errors (a closed pipe stays one).
fn into_io(error: csv::Error) -> io::Error {
    match error.into_kind() {
        csv::ErrorKind::Io(error) => error,
        other => io::Error::other(format!("{other:?}")),
    }
}

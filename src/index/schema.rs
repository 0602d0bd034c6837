//! The index schema: one tantivy document per story.
//!
//! Each field says why it is stored, indexed, fast or a facet. Display fields are not
//! stored one by one: the story's appearances (one per page it was found on) are stored
//! as JSON, and the title, city, agencies and section shown are derived from them, so a
//! page that changes or goes away can be taken out of a story exactly.

use crate::analysis;
use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, FacetOptions, Field, INDEXED, IndexRecordOption, STORED,
    STRING, Schema, TextFieldIndexing, TextOptions,
};

/// Field names: the query syntax's `title:` and `body:` prefixes are these.
pub const ID: &str = "id";
/// Headline text, searchable and boosted.
pub const TITLE: &str = "title";
/// Article text, searchable; stored for snippets and for re-indexing a story.
pub const BODY: &str = "body";
/// The dateline's city and agencies as words: `Moskou` finds articles datelined there.
pub const DATELINE: &str = "dateline";
/// `lead` or `item`.
pub const KIND: &str = "kind";
/// Facets, counted over all hits.
pub const CITY: &str = "city";
/// Facet of every agency a story carries.
pub const AGENCY: &str = "agency";
/// Facet of the section.
pub const SECTION: &str = "section";
/// Facet of the outlet (the site that published the page).
pub const OUTLET: &str = "outlet";
/// Filter key of the outlet.
pub const OUTLET_KEY: &str = "outlet_key";
/// Facet of where the publication time came from (`page`, `age`, `file`).
pub const TIME_SOURCE: &str = "time_source";
/// Filter keys: the value folded by the key analyzer.
pub const CITY_KEY: &str = "city_key";
/// Filter key of the agencies.
pub const AGENCY_KEY: &str = "agency_key";
/// Filter key of the section.
pub const SECTION_KEY: &str = "section_key";
/// Language code, a filter key and stored for display.
pub const LANG: &str = "lang";
/// Publication time, for date filters and date sort.
pub const PUBLISHED: &str = "published";
/// The story's appearances on pages, as JSON.
pub const APPEARANCES: &str = "appearances";
/// How many pages carry the story (for `stats`).
pub const SOURCE_COUNT: &str = "source_count";
/// The commit that first held the story (`follow`: what is new since a showing).
pub const GENERATION: &str = "generation";
/// When that commit happened.
pub const FIRST_INDEXED: &str = "first_indexed";
/// A hash of the story's headline and dateline city: a story with a changed body keeps
/// it, so `follow` tells an updated story from a new one.
pub const HEADLINE: &str = "headline";
/// The commit that first held a story with this headline and city.
pub const HEADLINE_GENERATION: &str = "headline_generation";

/// The fields of the schema, resolved once.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The story id. Indexed to delete and look up a story by id, fast for score ties
    /// and for listing the ids an index holds, stored for output.
    pub id: Field,
    /// Indexed with positions (phrases); not stored: the title shown comes from the
    /// appearances.
    pub title: Field,
    /// Indexed with positions and stored: snippets need the text, and re-indexing a story
    /// whose page changed needs its body without re-reading other pages.
    pub body: Field,
    /// Indexed with positions (`'s-Hertogenbosch` is a phrase), not stored.
    pub dateline: Field,
    /// Stored and indexed as one token.
    pub kind: Field,
    /// Facet: counts per city.
    pub city: Field,
    /// Facet: counts per agency.
    pub agency: Field,
    /// Facet: counts per section.
    pub section: Field,
    /// Facet: counts per outlet.
    pub outlet: Field,
    /// Folded key for `--outlet` (without `www.`).
    pub outlet_key: Field,
    /// Facet: how many times are stated, from ages, estimated (for `stats`).
    pub time_source: Field,
    /// Folded key for `--city`.
    pub city_key: Field,
    /// Folded key for `--agency`.
    pub agency_key: Field,
    /// Folded key for `--section`.
    pub section_key: Field,
    /// Folded key for `--lang`, stored for output.
    pub lang: Field,
    /// Indexed for `--since`/`--until`, fast for `--sort date`, stored for output.
    pub published: Field,
    /// Stored only.
    pub appearances: Field,
    /// Fast only.
    pub source_count: Field,
    /// Indexed for `follow`'s "new since", fast for the newest commit a searcher sees,
    /// stored to keep it when the story is written again.
    pub generation: Field,
    /// Stored (and kept when the story is written again) for output.
    pub first_indexed: Field,
    /// Indexed to find an earlier version of a new story, stored to keep it, fast for
    /// counting what is new without reading stories.
    pub headline: Field,
    /// Stored, kept when the story is written again; fast, as `headline`.
    pub headline_generation: Field,
}

/// Builds dateline's schema.
pub fn schema() -> Schema {
    let mut builder = Schema::builder();
    let dutch = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analysis::DUTCH)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let key = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analysis::KEY)
            .set_index_option(IndexRecordOption::Basic),
    );
    builder.add_u64_field(ID, INDEXED | STORED | FAST);
    builder.add_text_field(TITLE, dutch.clone());
    builder.add_text_field(BODY, dutch.clone() | STORED);
    builder.add_text_field(DATELINE, dutch);
    builder.add_text_field(KIND, STRING | STORED);
    builder.add_facet_field(CITY, FacetOptions::default());
    builder.add_facet_field(AGENCY, FacetOptions::default());
    builder.add_facet_field(SECTION, FacetOptions::default());
    builder.add_facet_field(OUTLET, FacetOptions::default());
    builder.add_facet_field(TIME_SOURCE, FacetOptions::default());
    builder.add_text_field(CITY_KEY, key.clone());
    builder.add_text_field(AGENCY_KEY, key.clone());
    builder.add_text_field(SECTION_KEY, key.clone());
    builder.add_text_field(OUTLET_KEY, key.clone());
    builder.add_text_field(LANG, key | STORED);
    builder.add_date_field(
        PUBLISHED,
        DateOptions::default()
            .set_indexed()
            .set_stored()
            .set_fast()
            .set_precision(DateTimePrecision::Seconds),
    );
    builder.add_text_field(APPEARANCES, STORED);
    builder.add_u64_field(SOURCE_COUNT, FAST);
    builder.add_u64_field(GENERATION, INDEXED | STORED | FAST);
    builder.add_date_field(
        FIRST_INDEXED,
        DateOptions::default()
            .set_stored()
            .set_precision(DateTimePrecision::Seconds),
    );
    builder.add_u64_field(HEADLINE, INDEXED | STORED | FAST);
    builder.add_u64_field(HEADLINE_GENERATION, STORED | FAST);
    builder.build()
}

impl Fields {
    /// Resolves the fields of a schema built by [`schema`].
    pub fn new(schema: &Schema) -> tantivy::Result<Fields> {
        Ok(Fields {
            id: schema.get_field(ID)?,
            title: schema.get_field(TITLE)?,
            body: schema.get_field(BODY)?,
            dateline: schema.get_field(DATELINE)?,
            kind: schema.get_field(KIND)?,
            city: schema.get_field(CITY)?,
            agency: schema.get_field(AGENCY)?,
            section: schema.get_field(SECTION)?,
            outlet: schema.get_field(OUTLET)?,
            outlet_key: schema.get_field(OUTLET_KEY)?,
            time_source: schema.get_field(TIME_SOURCE)?,
            city_key: schema.get_field(CITY_KEY)?,
            agency_key: schema.get_field(AGENCY_KEY)?,
            section_key: schema.get_field(SECTION_KEY)?,
            lang: schema.get_field(LANG)?,
            published: schema.get_field(PUBLISHED)?,
            appearances: schema.get_field(APPEARANCES)?,
            source_count: schema.get_field(SOURCE_COUNT)?,
            generation: schema.get_field(GENERATION)?,
            first_indexed: schema.get_field(FIRST_INDEXED)?,
            headline: schema.get_field(HEADLINE)?,
            headline_generation: schema.get_field(HEADLINE_GENERATION)?,
        })
    }
}

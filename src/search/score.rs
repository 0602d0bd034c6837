//! dateline's own scoring: BM25F over a word's forms in title and body.
//!
//! tantivy scores each term of each field on its own with fixed BM25 constants (k1 1.2,
//! b 0.75). A query word here is several terms: the word as written, its stem and its
//! stem as a compound part, in the title and in the body. [`WordQuery`] adds their
//! frequencies into one, each weighted by its form and field and normalised by its
//! field's length, then saturates the sum once (BM25F, Robertson and Zaragoza 2009). So a
//! word counts once however many of its forms match, the word as written ranks above
//! its stem alone and that above a compound part alone, and k1 and b are ours to choose
//! (the known-item harness, `bench/known_item.py`, chose them).

use std::sync::{Arc, OnceLock};
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED, Term};

/// The scoring constants.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scoring {
    /// Term frequency saturation.
    pub k1: Score,
    /// Length normalisation of the body.
    pub b_body: Score,
    /// Length normalisation of the title.
    pub b_title: Score,
    /// A title occurrence against a body occurrence.
    pub title: Score,
    /// A dateline occurrence (city, agency) against a body occurrence.
    pub dateline: Score,
    /// The word as written (added to its stem, which it also has).
    pub exact: Score,
    /// The stem.
    pub stem: Score,
    /// The stem as a compound part.
    pub part: Score,
    /// The word as written once more, with its own idf, weighted so.
    pub written: Score,
    /// Where a query word is one of several alternatives: its compound parts, each as a
    /// word of its own, weighted so.
    pub qparts: Score,
}

impl Default for Scoring {
    fn default() -> Scoring {
        Scoring {
            k1: 1.2,
            b_body: 0.2,
            b_title: 0.75,
            title: 2.0,
            dateline: 1.0,
            exact: 0.5,
            stem: 1.0,
            part: 0.5,
            written: 0.5,
            qparts: 0.7,
        }
    }
}

impl Scoring {
    /// The constants in use: the defaults, or for measuring others, those given in
    /// `DATELINE_SCORING` (`k1=1.0,b_body=0.5,…`; names as the fields, unknown ones
    /// ignored).
    pub fn current() -> Scoring {
        static CURRENT: OnceLock<Scoring> = OnceLock::new();
        *CURRENT.get_or_init(|| {
            let mut scoring = Scoring::default();
            if let Ok(settings) = std::env::var("DATELINE_SCORING") {
                for setting in settings.split(',') {
                    let Some((name, value)) = setting.split_once('=') else {
                        continue;
                    };
                    let Ok(value) = value.trim().parse::<Score>() else {
                        continue;
                    };
                    let slot = match name.trim() {
                        "k1" => &mut scoring.k1,
                        "b_body" => &mut scoring.b_body,
                        "b_title" => &mut scoring.b_title,
                        "title" => &mut scoring.title,
                        "dateline" => &mut scoring.dateline,
                        "exact" => &mut scoring.exact,
                        "stem" => &mut scoring.stem,
                        "part" => &mut scoring.part,
                        "qparts" => &mut scoring.qparts,
                        "written" => &mut scoring.written,
                        _ => continue,
                    };
                    *slot = value;
                }
            }
            scoring
        })
    }
}

/// One term of a word: where it is and what a match of it is worth.
#[derive(Debug, Clone)]
pub struct WordTerm {
    /// The term.
    pub term: Term,
    /// The weight of its form times the weight of its field.
    pub weight: Score,
    /// Its weight in the second sum, the form as written on its own (0 for the others).
    pub written: Score,
    /// Length normalisation of its field.
    pub b: Score,
}

/// Matches documents with any of a word's terms; scores them by BM25F: the weighted sum
/// of all its forms, saturated once, plus the same for the form as written alone, with
/// that form's own idf (a rare form asked for counts for more).
#[derive(Debug, Clone)]
pub struct WordQuery {
    terms: Vec<WordTerm>,
    /// The terms whose document frequency gives the word's idf (the largest counts).
    idf_terms: Vec<Term>,
    /// The same for the form as written.
    written_idf_terms: Vec<Term>,
    /// What the form-as-written sum weighs against the sum of all forms.
    written_boost: Score,
    k1: Score,
}

impl WordQuery {
    /// A word of these terms; its idf is that of the most frequent of `idf_terms`, the
    /// written form's that of the most frequent of `written_idf_terms`, and that sum
    /// weighs `written_boost`.
    pub fn new(
        terms: Vec<WordTerm>,
        idf_terms: Vec<Term>,
        written_idf_terms: Vec<Term>,
        written_boost: Score,
        k1: Score,
    ) -> WordQuery {
        WordQuery {
            terms,
            idf_terms,
            written_idf_terms,
            written_boost,
            k1,
        }
    }
}

/// BM25's idf (as Lucene and tantivy compute it: never negative).
fn idf(doc_freq: u64, docs: u64) -> Score {
    let doc_freq = doc_freq.min(docs);
    let x = ((docs - doc_freq) as Score + 0.5) / (doc_freq as Score + 0.5);
    (1.0 + x).ln()
}

/// For one field, `1 - b + b * length / average` by fieldnorm id.
type LengthNorms = Arc<[Score; 256]>;

fn length_norms(b: Score, average: Score) -> LengthNorms {
    let mut norms = [0.0; 256];
    for (id, norm) in norms.iter_mut().enumerate() {
        let length = FieldNormReader::id_to_fieldnorm(id as u8) as Score;
        *norm = 1.0 - b + b * length / average.max(1.0);
    }
    Arc::new(norms)
}

impl Query for WordQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let searcher: Option<&Searcher> = scoring.searcher();
        let (mut idf_value, mut written_idf) = (1.0, 1.0);
        let mut terms = Vec::with_capacity(self.terms.len());
        if let Some(searcher) = searcher {
            let docs: u64 = searcher
                .segment_readers()
                .iter()
                .map(|s| u64::from(s.max_doc()))
                .sum();
            let most = |terms: &[Term]| -> tantivy::Result<u64> {
                let mut doc_freq = 0;
                for term in terms {
                    doc_freq = doc_freq.max(searcher.doc_freq(term)?);
                }
                Ok(doc_freq)
            };
            idf_value = idf(most(&self.idf_terms)?, docs);
            written_idf = idf(most(&self.written_idf_terms)?, docs) * self.written_boost;
            for word_term in &self.terms {
                let field = word_term.term.field();
                let mut tokens = 0u64;
                for segment in searcher.segment_readers() {
                    tokens += segment.inverted_index(field)?.total_num_tokens();
                }
                let average = tokens as Score / docs.max(1) as Score;
                terms.push((word_term.clone(), length_norms(word_term.b, average)));
            }
        } else {
            for word_term in &self.terms {
                terms.push((word_term.clone(), length_norms(0.0, 1.0)));
            }
        }
        Ok(Box::new(WordWeight {
            terms,
            idf: idf_value,
            written_idf,
            k1: self.k1,
            scoring: scoring.is_scoring_enabled(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for word_term in &self.terms {
            visitor(&word_term.term, false);
        }
    }
}

struct WordWeight {
    terms: Vec<(WordTerm, LengthNorms)>,
    idf: Score,
    written_idf: Score,
    k1: Score,
    scoring: bool,
}

impl WordWeight {
    fn word_scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<WordScorer> {
        let mut postings = Vec::with_capacity(self.terms.len());
        for (word_term, norms) in &self.terms {
            let field = word_term.term.field();
            let option = if self.scoring {
                IndexRecordOption::WithFreqs
            } else {
                IndexRecordOption::Basic
            };
            let inverted = reader.inverted_index(field)?;
            if let Some(list) = inverted.read_postings(&word_term.term, option)? {
                postings.push(TermPostings {
                    postings: list,
                    weight: word_term.weight,
                    written: word_term.written,
                    norms: Arc::clone(norms),
                    fieldnorms: fieldnorms(reader, field)?,
                });
            }
        }
        let doc = postings
            .iter()
            .map(|p| p.postings.doc())
            .min()
            .unwrap_or(TERMINATED);
        Ok(WordScorer {
            postings,
            doc,
            idf: self.idf * boost,
            written_idf: self.written_idf * boost,
            k1: self.k1,
        })
    }
}

fn fieldnorms(reader: &SegmentReader, field: Field) -> tantivy::Result<FieldNormReader> {
    Ok(reader
        .fieldnorms_readers()
        .get_field(field)?
        .unwrap_or_else(|| FieldNormReader::constant(reader.max_doc(), 1)))
}

impl Weight for WordWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(self.word_scorer(reader, boost)?))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.word_scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new("BM25F of a word's forms", scorer.score()))
    }
}

struct TermPostings {
    postings: SegmentPostings,
    weight: Score,
    written: Score,
    norms: LengthNorms,
    fieldnorms: FieldNormReader,
}

/// The union of a word's postings, scored by BM25F.
struct WordScorer {
    postings: Vec<TermPostings>,
    doc: DocId,
    idf: Score,
    written_idf: Score,
    k1: Score,
}

impl DocSet for WordScorer {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        let mut next = TERMINATED;
        for term in &mut self.postings {
            let mut doc = term.postings.doc();
            if doc == current {
                doc = term.postings.advance();
            }
            next = next.min(doc);
        }
        self.doc = next;
        next
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let mut next = TERMINATED;
        for term in &mut self.postings {
            let mut doc = term.postings.doc();
            if doc < target {
                doc = term.postings.seek(target);
            }
            next = next.min(doc);
        }
        self.doc = next;
        next
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.postings
            .iter()
            .map(|p| p.postings.size_hint())
            .max()
            .unwrap_or(0)
    }
}

impl Scorer for WordScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let (mut all, mut written) = (0.0, 0.0);
        for term in &self.postings {
            if term.postings.doc() == doc {
                let norm = term.norms[usize::from(term.fieldnorms.fieldnorm_id(doc))];
                let frequency = term.postings.term_freq() as Score / norm;
                all += term.weight * frequency;
                written += term.written * frequency;
            }
        }
        let saturated = |f: Score| f * (self.k1 + 1.0) / (self.k1 + f);
        self.idf * saturated(all) + self.written_idf * saturated(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idf_falls_with_frequency_and_stays_positive() {
        assert!(idf(1, 1000) > idf(10, 1000));
        assert!(idf(1000, 1000) > 0.0);
        assert!(idf(2000, 1000) > 0.0);
    }

    #[test]
    fn length_norms_favour_short_fields_as_b_says() {
        let norms = length_norms(0.75, 10.0);
        assert!(norms[1] < 1.0);
        assert!(norms[200] > 1.0);
        let flat = length_norms(0.0, 10.0);
        assert!(flat.iter().all(|&n| (n - 1.0).abs() < 1e-6));
    }
}

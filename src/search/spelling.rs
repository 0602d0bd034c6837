//! Typos and near misses: when a query finds nothing, each word the index has never
//! seen is replaced by the most common indexed word within a few edits of it
//! (`Poetn` → `Poetin`), and the search runs again.

use crate::analysis::terms;
use crate::index::schema::Fields;
use anyhow::Result;
use std::collections::HashMap;
use std::ops::Range;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{Field, IndexRecordOption, TantivyDocument, Value};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{Searcher, Term};

/// The query with its unknown words corrected, or `None` where there is nothing to
/// correct.
pub fn correct(searcher: &Searcher, fields: &Fields, query: &str) -> Result<Option<String>> {
    let mut analyzer = searcher.index().tokenizer_for_field(fields.body)?;
    let mut corrected = String::with_capacity(query.len() + 8);
    let mut changed = false;
    let mut at = 0;
    for word in words(query) {
        corrected.push_str(&query[at..word.start]);
        let typed = &query[word.clone()];
        match correction(searcher, fields, &mut analyzer, typed)? {
            Some(replacement) => {
                corrected.push_str(&replacement);
                changed = true;
            }
            None => corrected.push_str(typed),
        }
        at = word.end;
    }
    corrected.push_str(&query[at..]);
    Ok(changed.then_some(corrected))
}

/// Edits allowed for a word of this many letters: none for short words, where one edit
/// makes another word (`kat`, `kar`, `kas`).
fn max_edits(letters: usize) -> usize {
    match letters {
        0..=4 => 0,
        5..=7 => 1,
        _ => 2,
    }
}

/// The plain words of a query: not operators, field names, excluded words or numbers.
fn words(query: &str) -> Vec<Range<usize>> {
    let mut words = Vec::new();
    let mut start = None;
    let end = std::iter::once((query.len(), ' '));
    for (at, c) in query.char_indices().chain(end) {
        if c.is_alphanumeric() {
            start.get_or_insert(at);
            continue;
        }
        let Some(from) = start.take() else {
            continue;
        };
        let word = &query[from..at];
        let field_name = c == ':';
        let excluded =
            query[..from].ends_with('-') && !query[..from - 1].ends_with(char::is_alphanumeric);
        let operator = matches!(word, "AND" | "OR" | "NOT");
        let number = word.contains(|c: char| c.is_ascii_digit());
        if !(field_name || excluded || operator || number) {
            words.push(from..at);
        }
    }
    words
}

/// The replacement for a word the index does not know, as a document writes it.
fn correction(
    searcher: &Searcher,
    fields: &Fields,
    analyzer: &mut TextAnalyzer,
    typed: &str,
) -> Result<Option<String>> {
    let terms = terms(analyzer, typed);
    let Some(wanted) = terms.first() else {
        return Ok(None);
    };
    for term in &terms {
        for field in [fields.title, fields.body] {
            if searcher.doc_freq(&Term::from_field_text(field, term))? > 0 {
                return Ok(None);
            }
        }
    }
    let edits = max_edits(typed.chars().count());
    if edits == 0 {
        return Ok(None);
    }
    let Some(nearest) = nearest_term(searcher, fields, wanted, edits)? else {
        return Ok(None);
    };
    let written = as_written(searcher, fields, analyzer, &nearest)?.unwrap_or(nearest);
    Ok(Some(in_case_of(typed, &written)))
}

/// `word` in lower case where the user typed lower case, else with a capital.
fn in_case_of(typed: &str, word: &str) -> String {
    if typed.starts_with(char::is_lowercase) {
        return word.to_lowercase();
    }
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The indexed term within `edits` of `wanted` with the fewest edits, then the most
/// documents.
fn nearest_term(
    searcher: &Searcher,
    fields: &Fields,
    wanted: &str,
    edits: usize,
) -> Result<Option<String>> {
    let wanted = wanted.as_bytes();
    let mut candidates: HashMap<Vec<u8>, (usize, u64)> = HashMap::new();
    for segment in searcher.segment_readers() {
        for field in [fields.title, fields.body] {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                let key = stream.key();
                if key.len().abs_diff(wanted.len()) > edits {
                    continue;
                }
                if let Some(distance) = distance_within(wanted, key, edits) {
                    let entry = candidates.entry(key.to_vec()).or_insert((distance, 0));
                    entry.1 += u64::from(stream.value().doc_freq);
                }
            }
        }
    }
    Ok(candidates
        .into_iter()
        .min_by(|(a_key, a), (b_key, b)| {
            (a.0, std::cmp::Reverse(a.1), a_key).cmp(&(b.0, std::cmp::Reverse(b.1), b_key))
        })
        .and_then(|(key, _)| String::from_utf8(key).ok()))
}

/// Documents looked into for how they write a corrected word.
const WRITTEN_IN: usize = 5;

/// A word of a document that analyses to `term`, as the document writes it: the
/// correction reads `verkiezingen`, not the stem `verkiez`.
fn as_written(
    searcher: &Searcher,
    fields: &Fields,
    analyzer: &mut TextAnalyzer,
    term: &str,
) -> Result<Option<String>> {
    for field in [fields.title, fields.body] {
        let query = TermQuery::new(Term::from_field_text(field, term), IndexRecordOption::Basic);
        let top = searcher.search(&query, &TopDocs::with_limit(WRITTEN_IN).order_by_score())?;
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            if let Some(word) = word_for(analyzer, &stored_text(&doc, field), term) {
                return Ok(Some(word));
            }
        }
    }
    Ok(None)
}

fn stored_text(doc: &TantivyDocument, field: Field) -> String {
    doc.get_all(field)
        .filter_map(|value| value.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first word of `text` whose own first term is `term` (not a compound that only
/// has it as a part).
fn word_for(analyzer: &mut TextAnalyzer, text: &str, term: &str) -> Option<String> {
    let mut offsets = Vec::new();
    {
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let token = stream.token();
            if token.text == term {
                offsets.push(token.offset_from..token.offset_to);
            }
        }
    }
    offsets.into_iter().find_map(|range| {
        let word = text.get(range)?;
        (terms(analyzer, word).first().map(String::as_str) == Some(term)).then(|| word.to_string())
    })
}

/// The edit distance between `a` and `b` (insertions, deletions, substitutions and
/// swaps of neighbours), if it is at most `limit`.
fn distance_within(a: &[u8], b: &[u8], limit: usize) -> Option<usize> {
    let width = b.len() + 1;
    let mut rows = vec![0usize; 3 * width];
    let (mut before, mut previous, mut current) = (0, width, 2 * width);
    for (j, cell) in rows[previous..previous + width].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[current] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[previous + j] + 1)
                .min(rows[current + j - 1] + 1)
                .min(rows[previous + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[before + j - 2] + 1);
            }
            rows[current + j] = best;
            row_min = row_min.min(best);
        }
        if row_min > limit {
            return None;
        }
        (before, previous, current) = (previous, current, before);
    }
    let distance = rows[previous + b.len()];
    (distance <= limit).then_some(distance)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits_and_swaps() {
        let d = |a: &str, b: &str| distance_within(a.as_bytes(), b.as_bytes(), 3);
        assert_eq!(d("poetn", "poetin"), Some(1));
        assert_eq!(d("poetin", "poetin"), Some(0));
        assert_eq!(d("peotin", "poetin"), Some(1));
        assert_eq!(d("fabriek", "fabrik"), Some(1));
        assert_eq!(d("kitten", "sitting"), Some(3));
        assert_eq!(d("abc", "xyzuvw"), None);
        assert_eq!(d("", "abc"), Some(3));
    }

    #[test]
    fn only_plain_words_are_corrected() {
        let query = "Poetn AND title:Kremlin -Peskov \"Kim Jong-un\" 2024 OR x";
        let words: Vec<&str> = words(query).into_iter().map(|r| &query[r]).collect();
        assert_eq!(words, ["Poetn", "Kremlin", "Kim", "Jong", "un", "x"]);
    }

    #[test]
    fn corrections_follow_the_case_the_user_typed() {
        assert_eq!(in_case_of("Kremln", "kremlin"), "Kremlin");
        assert_eq!(in_case_of("kremln", "Kremlin"), "kremlin");
        assert_eq!(in_case_of("Oekrane", "Oekraïne"), "Oekraïne");
    }

    #[test]
    fn short_words_are_never_corrected() {
        assert_eq!(max_edits(4), 0);
        assert_eq!(max_edits(5), 1);
        assert_eq!(max_edits(8), 2);
    }
}

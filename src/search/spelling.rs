//! Typos and near misses: when a query finds nothing, each word the index has never
//! seen is replaced by the word people most likely meant, and the search runs again.
//!
//! The candidates are the words the index holds as written within a few edits
//! (Damerau: a swap of two neighbours is one edit), or within one edit of the Dutch way of
//! writing a foreign name (`Putin`, `Poetin`). Among them frequency decides, an edit
//! costing a factor of [`EDIT_COST`] in articles: `Verstpapen` is `Verstappen` (874
//! articles), not `Verstapen` (1), though both are one edit away.

use crate::analysis;
use crate::index::schema::Fields;
use anyhow::Result;
use std::collections::HashMap;
use std::ops::Range;
use tantivy::collector::TopDocs;
use tantivy::query::{FuzzyTermQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, TantivyDocument, Value};
use tantivy::tokenizer::TokenStream;
use tantivy::{Searcher, Term};

/// One more edit must be bought with this many times the articles.
const EDIT_COST: f64 = 10.0;
/// Other corrections are offered ("did you mean") when they score within this factor of
/// the best one.
const PLAUSIBLE: f64 = 10.0;
/// Corrections offered besides the best, per word.
const ALTERNATIVES: usize = 2;
/// A word in this few articles that finds something may still be a typo: a near word
/// found far more often (by [`RARER`] after the cost of its edits) is offered.
const RARE_ARTICLES: u64 = 3;
const RARER: f64 = 20.0;

/// Which words to correct.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Words the index does not have (the query found nothing).
    Unknown,
    /// Words it has in very few articles, where a near word is far more common (the
    /// query found something; the correction is only offered).
    Rare,
}

/// A corrected query, and other plausible ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    /// The query with every unknown word replaced by its best correction.
    pub best: String,
    /// The same with one word corrected otherwise, most plausible first.
    pub alternatives: Vec<String>,
}

/// The words an index holds, as spelling needs them: the local index's term
/// dictionaries, or a cluster's.
pub trait Lexicon {
    /// About how many articles have `word` (as written) in their title and in their body.
    fn articles(&self, word: &str) -> Result<[u64; 2]>;
    /// [`Lexicon::articles`] of several words (a lexicon far away asks once).
    fn articles_of(&self, words: &[String]) -> Result<Vec<[u64; 2]>> {
        words.iter().map(|word| self.articles(word)).collect()
    }
    /// The words as written within `edits` of `wanted`, with their articles in the title
    /// and in the body (a word may come more than once: the counts are added).
    fn near(&self, wanted: &str, edits: usize) -> Result<Vec<(String, [u64; 2])>>;
    /// How some article writes the folded word `word` (`Oekraïne` for `oekraine`).
    fn as_written(&self, word: &str) -> Result<Option<String>>;
}

/// The local index as a [`Lexicon`].
pub struct Local<'a> {
    /// The searcher.
    pub searcher: &'a Searcher,
    /// Its fields.
    pub fields: &'a Fields,
}

/// The query with its unknown words corrected, or `None` where there is nothing to
/// correct.
pub fn correct(
    searcher: &Searcher,
    fields: &Fields,
    query: &str,
    mode: Mode,
) -> Result<Option<Correction>> {
    correct_in(&Local { searcher, fields }, query, mode)
}

/// [`correct`] with the words of any [`Lexicon`].
pub fn correct_in(lexicon: &dyn Lexicon, query: &str, mode: Mode) -> Result<Option<Correction>> {
    let mut choices: Vec<(Range<usize>, Vec<String>)> = Vec::new();
    for word in words(query) {
        let typed = &query[word.clone()];
        let candidates = corrections(lexicon, typed, mode)?;
        if !candidates.is_empty() {
            choices.push((word, candidates));
        }
    }
    if choices.is_empty() {
        return Ok(None);
    }
    let rebuild = |pick: &dyn Fn(usize) -> usize| {
        let mut corrected = String::with_capacity(query.len() + 8);
        let mut at = 0;
        for (n, (range, candidates)) in choices.iter().enumerate() {
            corrected.push_str(&query[at..range.start]);
            corrected.push_str(&candidates[pick(n)]);
            at = range.end;
        }
        corrected.push_str(&query[at..]);
        corrected
    };
    let best = rebuild(&|_| 0);
    let mut alternatives = Vec::new();
    for (n, (_, candidates)) in choices.iter().enumerate() {
        for other in 1..candidates.len() {
            alternatives.push(rebuild(&|m| if m == n { other } else { 0 }));
        }
    }
    Ok(Some(Correction { best, alternatives }))
}

/// The words (as the index writes them) whose articles [`correct_in`] looks up first,
/// so that a lexicon far away can fetch them in one go.
pub fn looked_up(query: &str) -> Vec<String> {
    words(query)
        .into_iter()
        .filter_map(|range| {
            let typed = &query[range];
            let words = analysis::query_words(typed);
            match words.as_slice() {
                [word] if word.forms.stem.is_some() && max_edits(typed.chars().count()) > 0 => {
                    Some(word.forms.exact.clone())
                }
                _ => None,
            }
        })
        .collect()
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
        let field_name = c == ':' && matches!(word.to_lowercase().as_str(), "title" | "body");
        let excluded =
            query[..from].ends_with('-') && !query[..from - 1].ends_with(char::is_alphanumeric);
        let operator = matches!(word, "AND" | "OR" | "or");
        let number = word.contains(|c: char| c.is_ascii_digit());
        if !(field_name || excluded || operator || number) {
            words.push(from..at);
        }
    }
    words
}

/// The corrections of a word the mode asks to correct, best first, as articles write
/// them; none for others.
fn corrections(lexicon: &dyn Lexicon, typed: &str, mode: Mode) -> Result<Vec<String>> {
    let words = analysis::query_words(typed);
    let [word] = words.as_slice() else {
        return Ok(Vec::new());
    };
    let wanted = &word.forms.exact;
    let articles = lexicon.articles(wanted)?.into_iter().max().unwrap_or(0);
    let wanted_here = match mode {
        Mode::Unknown => articles == 0,
        Mode::Rare => (1..=RARE_ARTICLES).contains(&articles),
    };
    let edits = max_edits(typed.chars().count());
    if word.forms.stem.is_none() || !wanted_here || edits == 0 {
        return Ok(Vec::new());
    }
    let mut candidates = candidates(lexicon, wanted, edits)?;
    // A second edit must be paid for with ten articles: a rare word two edits away is
    // no more likely what was meant than the typo itself ('s-Gravenhage is not
    // 's-Gravenmade).
    let floor = match mode {
        Mode::Unknown => -EDIT_COST.ln(),
        Mode::Rare => (articles as f64).ln() + RARER.ln(),
    };
    candidates.retain(|(_, score)| *score >= floor);
    candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let best = candidates.first().map_or(0.0, |c| c.1);
    let mut found = Vec::new();
    for (term, score) in candidates {
        if found.len() > ALTERNATIVES || score < best - PLAUSIBLE.ln() {
            break;
        }
        let written = lexicon.as_written(&term)?.unwrap_or(term);
        found.push(in_case_of(typed, &written));
    }
    found.dedup();
    Ok(found)
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

/// The Dutch press writes foreign names its own way: `oe` for `u` (`Poetin`), `i` or `j`
/// for `y` (`Zelenski`, `Jeltsin`), and the other way round. The other spellings of a word, up to
/// [`MAX_SPELLINGS`] of them.
fn other_spellings(word: &str) -> Vec<String> {
    let mut spellings = vec![String::new()];
    let mut rest = word;
    while let Some(c) = rest.chars().next() {
        let (options, length): (&[&str], usize) = if rest.starts_with("oe") {
            (&["oe", "u"], 2)
        } else {
            match c {
                'u' => (&["u", "oe"], 1),
                'y' => (&["y", "i", "j"], 1),
                'j' => (&["j", "y"], 1),
                _ => (&[], c.len_utf8()),
            }
        };
        let piece = &rest[..length];
        if options.is_empty() || spellings.len() * options.len() > MAX_SPELLINGS {
            spellings.iter_mut().for_each(|s| s.push_str(piece));
        } else {
            spellings = spellings
                .iter()
                .flat_map(|s| options.iter().map(move |o| format!("{s}{o}")))
                .collect();
        }
        rest = &rest[length..];
    }
    spellings.retain(|s| s != word);
    spellings
}

/// Other spellings tried at most.
const MAX_SPELLINGS: usize = 16;

/// The indexed words (as written) near `wanted`, each with its score: the log of its
/// articles, less the log of [`EDIT_COST`] per edit (half an edit for another spelling
/// of a foreign name).
fn candidates(lexicon: &dyn Lexicon, wanted: &str, edits: usize) -> Result<Vec<(String, f64)>> {
    // Per word: its distance, and its articles in each field (title, body).
    let mut found: HashMap<String, (f64, [u64; 2])> = HashMap::new();
    for (word, articles) in lexicon.near(wanted, edits)? {
        if let Some(distance) = distance_within(wanted.as_bytes(), word.as_bytes(), edits) {
            let entry = found.entry(word).or_insert((distance as f64, [0, 0]));
            entry.1[0] += articles[0];
            entry.1[1] += articles[1];
        }
    }
    let spellings = other_spellings(wanted);
    let counts = lexicon.articles_of(&spellings)?;
    for (spelling, articles) in spellings.into_iter().zip(counts) {
        if articles.iter().any(|&n| n > 0) {
            let entry = found.entry(spelling).or_insert((0.5, [0, 0]));
            entry.0 = entry.0.min(0.5);
            entry.1[0] += articles[0];
            entry.1[1] += articles[1];
        }
    }
    Ok(found
        .into_iter()
        .filter(|(word, (distance, _))| *distance > 0.0 && !word.starts_with(['#', '+']))
        .map(|(word, (distance, [title, body]))| {
            // Most articles with a word in the title have it in the body too.
            let articles = title.max(body) as f64;
            (word, articles.ln() - EDIT_COST.ln() * distance)
        })
        .collect())
}

impl Lexicon for Local<'_> {
    fn articles(&self, word: &str) -> Result<[u64; 2]> {
        let fields = self.fields;
        let mut counts = [0; 2];
        for (slot, field) in [fields.title, fields.body].into_iter().enumerate() {
            counts[slot] = self
                .searcher
                .doc_freq(&Term::from_field_text(field, word))?;
        }
        Ok(counts)
    }

    /// The term dictionaries are walked with a Levenshtein automaton, so only the words
    /// within reach are read.
    fn near(&self, wanted: &str, edits: usize) -> Result<Vec<(String, [u64; 2])>> {
        let fields = self.fields;
        let mut found = Vec::new();
        for segment in self.searcher.segment_readers() {
            for (slot, field) in [fields.title, fields.body].into_iter().enumerate() {
                let inverted = segment.inverted_index(field)?;
                let near = FuzzyTermQuery::new(
                    Term::from_field_text(field, wanted),
                    u8::try_from(edits).unwrap_or(2),
                    true,
                );
                let mut stream = inverted.terms().search(near.automaton()?).into_stream()?;
                while stream.advance() {
                    let Ok(word) = std::str::from_utf8(stream.key()) else {
                        continue;
                    };
                    let mut articles = [0; 2];
                    articles[slot] = u64::from(stream.value().doc_freq);
                    found.push((word.to_string(), articles));
                }
            }
        }
        Ok(found)
    }

    fn as_written(&self, word: &str) -> Result<Option<String>> {
        as_written(self.searcher, self.fields, word)
    }
}

/// Documents looked into for how they write a corrected word.
pub const WRITTEN_IN: usize = 5;

/// A word of a document whose folded form is `word`, as the document writes it: the
/// correction reads `Oekraïne`, not `oekraine`.
fn as_written(searcher: &Searcher, fields: &Fields, word: &str) -> Result<Option<String>> {
    for field in [fields.body, fields.title] {
        let query = TermQuery::new(Term::from_field_text(field, word), IndexRecordOption::Basic);
        let top = searcher.search(&query, &TopDocs::with_limit(WRITTEN_IN).order_by_score())?;
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            if let Some(written) = written_in(&stored_text(&doc, field), word) {
                return Ok(Some(written));
            }
        }
    }
    Ok(None)
}

/// How `text` writes the folded word `word`, if it has it.
pub fn written_in(text: &str, word: &str) -> Option<String> {
    let mut analyzer = analysis::dutch_analyzer(analysis::Dutch::default());
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let token = stream.token();
        if token.text == word {
            return Some(text[token.offset_from..token.offset_to].to_string());
        }
    }
    None
}

fn stored_text(doc: &TantivyDocument, field: Field) -> String {
    doc.get_all(field)
        .filter_map(|value| value.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The edit distance between `a` and `b` (insertions, deletions, substitutions and
/// swaps of neighbours), if it is at most `limit`.
fn distance_within(a: &[u8], b: &[u8], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
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
        assert_eq!(d("verstpapen", "verstappen"), Some(1));
        assert_eq!(d("kitten", "sitting"), Some(3));
        assert_eq!(d("abc", "xyzuvw"), None);
        assert_eq!(d("", "abc"), Some(3));
    }

    #[test]
    fn foreign_names_meet_their_dutch_spelling() {
        assert!(other_spellings("putin").contains(&"poetin".to_string()));
        assert!(other_spellings("poetin").contains(&"putin".to_string()));
        assert!(other_spellings("zelensky").contains(&"zelenski".to_string()));
        assert_eq!(other_spellings("fabriek"), Vec::<String>::new());
        assert!(other_spellings("uuuuuuuuuuuuuuuu").len() < MAX_SPELLINGS);
    }

    #[test]
    fn only_plain_words_are_corrected() {
        let query = "Poetn AND title:Kremlin -Peskov \"Kim Jong-un\" 2024 OR x or y";
        let words: Vec<&str> = words(query).into_iter().map(|r| &query[r]).collect();
        assert_eq!(words, ["Poetn", "Kremlin", "Kim", "Jong", "un", "x", "y"]);
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

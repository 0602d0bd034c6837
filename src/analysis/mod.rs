//! Text analysis: the Dutch analyzer for title and body, the folding analyzer for filter
//! keys, and language detection.
//!
//! tantivy does not store tokenizers with an index (tantivy #2078), so [`register`] must
//! run on every open, not only on create: `index::open` and `index::create` both call it.

pub mod aliases;
pub mod compound;
mod language;
mod stem;
pub mod words;

pub use language::detect_language;
pub use words::{Forms, PART, STEM, is_hyphen};

use std::cell::RefCell;
use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, StopWordFilter,
    TextAnalyzer, TokenStream,
};

use words::{FormsFilter, WordTokenizer};

/// The tokenizer name of title and body.
pub const DUTCH: &str = "dateline_dutch";
/// The tokenizer name of filter keys (city, agency, section, language).
pub const KEY: &str = "dateline_key";

/// Tokens longer than this are noise (URLs, base64) and are dropped.
const MAX_TOKEN_BYTES: usize = 40;

/// Which forms of each word the Dutch analysis indexes besides the word as written:
/// dateline indexes them all, on documents and queries alike; the quality harness
/// (`examples/quality.rs`) compares them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dutch {
    /// The stem (else the stem term is the word as written).
    pub stem: bool,
    /// The stems of compound parts.
    pub compounds: bool,
}

impl Default for Dutch {
    fn default() -> Dutch {
        Dutch {
            stem: true,
            compounds: true,
        }
    }
}

/// Registers dateline's analyzers with an index.
pub fn register(index: &Index) {
    let tokenizers = index.tokenizers();
    tokenizers.register(DUTCH, dutch_analyzer(Dutch::default()));
    tokenizers.register(KEY, key_analyzer());
}

/// Split into words, lower-case, fold diacritics, then index each word as written, by
/// its stem and by its compound parts' stems ([`words`], DESIGN.md "Analysis"). Folding
/// comes before stemming so that `financiële` and `financiele` get the same stem.
pub fn dutch_analyzer(dutch: Dutch) -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(FormsFilter(dutch))
        .build()
}

/// One word of a query text, analysed as the documents' words are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryWord {
    /// The word's forms.
    pub forms: Forms,
    /// Whether the word is joined to the one before it by a hyphen (`Jong-un`).
    pub joined: bool,
    /// Its position among the words of the text (phrases match positions).
    pub position: usize,
}

/// The words of a query text, with their forms as dateline indexes them.
pub fn query_words(text: &str) -> Vec<QueryWord> {
    query_words_with(text, Dutch::default())
}

/// The words of a query text, with the forms `dutch` indexes.
pub fn query_words_with(text: &str, dutch: Dutch) -> Vec<QueryWord> {
    let mut analyzer = TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    let mut stream = analyzer.token_stream(text);
    let mut found = Vec::new();
    let mut last_end: Option<usize> = None;
    while stream.advance() {
        let token = stream.token();
        let joined = last_end.is_some_and(|end| {
            let between = &text[end..token.offset_from];
            !between.is_empty() && between.chars().all(is_hyphen)
        });
        last_end = Some(token.offset_to);
        found.push(QueryWord {
            forms: words::with_forms(&token.text, dutch, Forms::clone),
            joined,
            position: token.position,
        });
    }
    found
}

/// Whether a lower-cased, folded word is a Dutch stop word (tantivy's Snowball list).
pub fn is_stop_word(word: &str) -> bool {
    thread_local! {
        static STOP: RefCell<Option<TextAnalyzer>> = const { RefCell::new(None) };
    }
    STOP.with(|cell| {
        let mut cell = cell.borrow_mut();
        let analyzer = cell.get_or_insert_with(|| {
            let mut builder = TextAnalyzer::builder(RawTokenizer::default()).dynamic();
            if let Some(stop_words) = StopWordFilter::new(Language::Dutch) {
                builder = builder.filter_dynamic(stop_words);
            }
            builder.build()
        });
        let mut stream = analyzer.token_stream(word);
        !stream.advance()
    })
}

/// A whole value as one token, lower-cased and folded: `--city "sao paulo"` finds
/// `São Paulo`.
pub fn key_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The filter key of a value: what [`key_analyzer`] makes of it.
pub fn fold_key(value: &str) -> String {
    let mut analyzer = key_analyzer();
    let mut stream = analyzer.token_stream(value.trim());
    let mut key = String::new();
    while stream.advance() {
        key.push_str(&stream.token().text);
    }
    key
}

/// The terms the Dutch analyzer makes of a text, in order (for tests and diagnostics).
pub fn dutch_terms(text: &str) -> Vec<String> {
    terms(&mut dutch_analyzer(Dutch::default()), text)
}

/// A text as the Dutch analyzer reads it, split in two for a store that is sent terms
/// rather than text (a cluster): the words as written, one per position, so phrases
/// match as they do here; and the marked stems and compound parts.
pub fn written_and_forms(text: &str) -> (String, String) {
    let mut analyzer = dutch_analyzer(Dutch::default());
    let mut stream = analyzer.token_stream(text);
    let (mut written, mut forms) = (String::new(), String::new());
    while stream.advance() {
        let term = &stream.token().text;
        let out = if term.starts_with([STEM, PART]) {
            &mut forms
        } else {
            &mut written
        };
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(term);
    }
    (written, forms)
}

/// The terms an analyzer makes of a text, in order.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while stream.advance() {
        terms.push(stream.token().text.clone());
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stem term of a word.
    fn stem(word: &str) -> String {
        let terms = dutch_terms(word);
        terms
            .iter()
            .find(|t| t.starts_with(STEM))
            .cloned()
            .unwrap_or_default()
    }

    #[test]
    fn each_word_is_indexed_as_written_and_by_its_stem() {
        assert_eq!(dutch_terms("Fabrieken"), ["fabrieken", "#fabriek"]);
        assert_eq!(stem("fabriek"), "#fabriek");
        assert_eq!(stem("gevangenissen"), stem("gevangenis"));
        assert_eq!(stem("gearresteerd"), stem("arresteren"));
    }

    #[test]
    fn diacritics_fold_before_stemming() {
        assert_eq!(stem("Oekraïne"), stem("Oekraine"));
        assert_eq!(stem("financiële"), stem("financiele"));
        assert_eq!(dutch_terms("Oekraïne")[0], "oekraine");
    }

    #[test]
    fn stop_words_are_kept_as_written_only() {
        assert_eq!(
            dutch_terms("de man en het huis"),
            ["de", "man", "#man", "en", "het", "huis", "#huis"]
        );
        assert!(is_stop_word("het"));
        assert!(!is_stop_word("huis"));
    }

    #[test]
    fn query_words_know_their_hyphens() {
        let words = query_words("Kim Jong-un, 2-1 PSV - Ajax");
        let joined: Vec<(&str, bool)> = words
            .iter()
            .map(|w| (w.forms.exact.as_str(), w.joined))
            .collect();
        assert_eq!(
            joined,
            [
                ("kim", false),
                ("jong", false),
                ("un", true),
                ("2", false),
                ("1", true),
                ("psv", false),
                ("ajax", false)
            ]
        );
    }

    #[test]
    fn keys_fold_case_and_diacritics() {
        assert_eq!(fold_key("São Paulo"), "sao paulo");
        assert_eq!(fold_key(" 's-Hertogenbosch "), "'s-hertogenbosch");
        assert_eq!(fold_key("ANP"), "anp");
    }

    /// The stemmer is the one DESIGN.md names: Snowball's Dutch (Kraaij-Pohlmann) as in
    /// `shared/corpus/snowball-dutch/dutch_output.txt`, but where the override list says
    /// otherwise. Skipped where the corpus is absent.
    #[test]
    fn stemmer_matches_the_snowball_vocabulary_but_for_the_overrides() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/corpus/snowball-dutch");
        let (Ok(words), Ok(stems)) = (
            std::fs::read_to_string(dir.join("dutch_voc.txt")),
            std::fs::read_to_string(dir.join("dutch_output.txt")),
        ) else {
            eprintln!("skipped: no snowball vocabulary at {}", dir.display());
            return;
        };
        let mut checked = 0;
        let mut overridden = 0;
        for (word, expected) in words.lines().zip(stems.lines()) {
            match stem::override_of(word) {
                Some(own) => {
                    assert_eq!(stem::stem(word), own, "override of {word}");
                    overridden += 1;
                }
                None => assert_eq!(stem::stem(word), expected, "stem of {word}"),
            }
            checked += 1;
        }
        assert_eq!(checked, 45_670);
        assert!(overridden < checked / 20, "{overridden} overridden");
    }
}

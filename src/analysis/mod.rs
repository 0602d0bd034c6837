//! Text analysis: the Dutch analyzer for title and body, the folding analyzer for filter
//! keys, and language detection.
//!
//! tantivy does not store tokenizers with an index (tantivy #2078), so [`register`] must
//! run on every open, not only on create: `index::open` and `index::create` both call it.

pub mod compound;
mod language;
mod stem;

pub use language::detect_language;

use tantivy::Index;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    StopWordFilter, TextAnalyzer, TokenStream,
};

use compound::CompoundFilter;
use stem::DutchStemmer;

/// The tokenizer name of title and body.
pub const DUTCH: &str = "dateline_dutch";
/// The tokenizer name of filter keys (city, agency, section, language).
pub const KEY: &str = "dateline_key";

/// Tokens longer than this are noise (URLs, base64) and are dropped.
const MAX_TOKEN_BYTES: usize = 40;

/// Which steps of the Dutch analysis run: dateline runs them all, on documents and
/// queries alike; the quality harness (`examples/quality.rs`) compares them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dutch {
    pub stem: bool,
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

/// Tokenize, lower-case, fold diacritics, split compounds, drop Dutch stop words, stem
/// (DESIGN.md, "Analysis"). Folding comes before stemming so that `financiële` and
/// `financiele` get the same stem; tantivy's Dutch stop words have no diacritics, so
/// folding first loses none of them. Compound parts are split off before stemming, so
/// `vluchtelingenorganisatie` gives the stem of `vluchtelingen`. A query's compound is
/// split too: its parts at one position make a phrase that only the compound (or its
/// other forms) matches, as the whole word would, but a search for any of the words
/// (the quality harness) also finds the parts written apart.
pub fn dutch_analyzer(dutch: Dutch) -> TextAnalyzer {
    let mut builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .dynamic();
    if dutch.compounds {
        builder = builder.filter_dynamic(CompoundFilter);
    }
    if let Some(stop_words) = StopWordFilter::new(Language::Dutch) {
        builder = builder.filter_dynamic(stop_words);
    }
    if dutch.stem {
        builder = builder.filter_dynamic(DutchStemmer);
    }
    builder.build()
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

    fn stem(word: &str) -> String {
        dutch_terms(word).join(" ")
    }

    #[test]
    fn dutch_stemming_conflates_forms() {
        assert_eq!(stem("fabrieken"), "fabriek");
        assert_eq!(stem("fabriek"), "fabriek");
        assert_eq!(stem("gevangenissen"), stem("gevangenis"));
        assert_eq!(stem("gearresteerd"), stem("arresteren"));
    }

    #[test]
    fn diacritics_fold_before_stemming() {
        assert_eq!(stem("Oekraïne"), stem("Oekraine"));
        assert_eq!(stem("financiële"), stem("financiele"));
    }

    #[test]
    fn stop_words_go_and_hyphenated_names_split() {
        assert_eq!(dutch_terms("de man en het huis").len(), 2);
        assert_eq!(dutch_terms("Kim Jong-un"), vec!["kim", "jong", "un"]);
    }

    #[test]
    fn keys_fold_case_and_diacritics() {
        assert_eq!(fold_key("São Paulo"), "sao paulo");
        assert_eq!(fold_key(" 's-Hertogenbosch "), "'s-hertogenbosch");
        assert_eq!(fold_key("ANP"), "anp");
    }

    /// The stemmer is the one DESIGN.md names: Snowball's Dutch (Kraaij-Pohlmann) as in
    /// `shared/corpus/snowball-dutch/dutch_output.txt`. Skipped where the corpus is absent.
    #[test]
    fn stemmer_matches_the_snowball_vocabulary() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/corpus/snowball-dutch");
        let (Ok(words), Ok(stems)) = (
            std::fs::read_to_string(dir.join("dutch_voc.txt")),
            std::fs::read_to_string(dir.join("dutch_output.txt")),
        ) else {
            eprintln!("skipped: no snowball vocabulary at {}", dir.display());
            return;
        };
        let mut stemmer = TextAnalyzer::builder(RawTokenizer::default())
            .filter(DutchStemmer)
            .build();
        let mut checked = 0;
        // The second round comes from the stemmer's memory.
        for _ in 0..2 {
            for (word, expected) in words.lines().zip(stems.lines()) {
                let mut stream = stemmer.token_stream(word);
                assert!(stream.advance());
                assert_eq!(stream.token().text, expected, "stem of {word}");
                checked += 1;
            }
        }
        assert_eq!(checked, 2 * 45_670);
    }
}

//! Dutch compound splitting: `ruimtevaartfabriek` is indexed as itself and as
//! `ruimtevaart`, `ruimte`, `vaart` and `fabriek`, all at the compound's position, so that
//! `fabriek` finds it.
//!
//! The dictionary is the lexicon `build.rs` counts over real Dutch news: a word is split
//! only into parts that each appear in at least 10 of its articles. Among the splits, the
//! one with the fewest parts wins, then the one whose parts are most frequent (geometric
//! mean, after Koehn and Knight 2003); and a word is split only where its parts are more
//! frequent than the word itself. That keeps lexicalised words whole: `minister` is not
//! `mini`+`ster`, and `verkiezingen` has no split at all. The tests show where the line
//! falls.

use rustc_hash::FxHashMap;
use std::ops::Range;
use std::sync::OnceLock;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// The lexicon: an FST map from each word to the number of reference articles it
/// appears in.
static LEXICON: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lexicon.fst"));

fn lexicon() -> Option<&'static fst::Map<&'static [u8]>> {
    static MAP: OnceLock<Option<fst::Map<&'static [u8]>>> = OnceLock::new();
    MAP.get_or_init(|| fst::Map::new(LEXICON).ok()).as_ref()
}

/// Parts shorter than this are never split off: `zee`, `weg` and `dag` would cut through
/// too many words that are not compounds.
const MIN_PART: usize = 4;
/// The linking sounds Dutch puts between parts: `arbeid-s-markt`, `vluchteling-en-opvang`,
/// `ziekt-e-verzuim`. Not `-er-` (`kind-er-opvang`): it cuts `acht-er-liggende`.
const LINKERS: [&str; 4] = ["", "s", "en", "e"];
/// Words of the lexicon that are not compound parts: suffixes and bits of prefixes
/// (`feite-lijk`, `hande-laar`, `fiets-ster`, `inge-richt`, `voorkom-ende`), Latin prefixes
/// (`trans-formatie`, `inter-nationaal`), and the adverbs and
/// prepositions of separable verbs and pronominal adverbs (`voor-gelegd`, `over-vallen`,
/// `hier-voor`, `achter-grond`), which a search for the adverb should not find. Sorted.
const NOT_PARTS: [&str; 25] = [
    "achter", "alle", "alles", "baar", "daar", "door", "ende", "heid", "hier", "inge", "inter",
    "laar", "lijk", "loos", "mede", "naar", "onder", "over", "samen", "ster", "tegen", "terug",
    "trans", "voor", "weer",
];
/// Endings of inflected forms: `leeftijden` is `leeftijd` + `en`, not `leef` + `tijden`.
const INFLECTIONS: [&str; 4] = ["en", "e", "s", "n"];
/// Deeper splits than this are noise.
const MAX_PARTS: usize = 4;

/// The number of reference articles `word` appears in; 0 for a word not in the lexicon.
pub fn articles(word: &str) -> u32 {
    lexicon()
        .and_then(|map| map.get(word))
        .map_or(0, |count| u32::try_from(count).unwrap_or(u32::MAX))
}

/// The lexicon's words that begin `text`, shortest first: (length, articles). One walk
/// down the FST finds them all.
fn words_beginning(text: &[u8]) -> Vec<(usize, u32)> {
    let mut found = Vec::new();
    let Some(map) = lexicon() else {
        return found;
    };
    let fst = map.as_fst();
    let mut node = fst.root();
    let mut output = fst::raw::Output::zero();
    for (i, &byte) in text.iter().enumerate() {
        let Some(at) = node.find_input(byte) else {
            break;
        };
        let transition = node.transition(at);
        output = output.cat(transition.out);
        node = fst.node(transition.addr);
        if node.is_final() {
            let count = output.cat(node.final_output()).value();
            found.push((i + 1, u32::try_from(count).unwrap_or(u32::MAX)));
        }
    }
    found
}

/// Whether the lexicon has any words (it is empty where `build.rs` found no corpus).
pub fn has_lexicon() -> bool {
    lexicon_words() > 0
}

/// The number of words in the lexicon.
pub fn lexicon_words() -> usize {
    lexicon().map_or(0, |map| map.len())
}

/// Identifies the lexicon: an index split with one lexicon is not searched with another.
pub fn lexicon_fingerprint() -> u64 {
    xxhash_rust::xxh3::xxh3_64(LEXICON)
}

fn may_be_part(word: &str) -> bool {
    word.len() >= MIN_PART && NOT_PARTS.binary_search(&word).is_err()
}

/// How common the word is as one word: its own count, or that of the word it inflects.
fn articles_as_one_word(word: &str) -> u32 {
    INFLECTIONS
        .iter()
        .filter_map(|ending| word.strip_suffix(ending))
        .map(articles)
        .fold(articles(word), u32::max)
}

/// One way to cut a word: its parts (byte ranges, linkers left out) and the article
/// count of each.
#[derive(Clone)]
struct Cut {
    parts: Vec<Range<usize>>,
    counts: Vec<u32>,
}

impl Cut {
    /// A cut of one part, found in `count` articles.
    fn part(range: Range<usize>, count: u32) -> Cut {
        let mut cut = Cut {
            parts: Vec::with_capacity(MAX_PARTS),
            counts: Vec::with_capacity(MAX_PARTS),
        };
        cut.parts.push(range);
        cut.counts.push(count);
        cut
    }

    /// Fewer parts first, then more frequent parts.
    fn better_than(&self, other: &Cut) -> bool {
        match self.parts.len().cmp(&other.parts.len()) {
            std::cmp::Ordering::Less => true,
            std::cmp::Ordering::Greater => false,
            std::cmp::Ordering::Equal => self.log_mean() > other.log_mean(),
        }
    }

    fn log_mean(&self) -> f64 {
        let sum: f64 = self.counts.iter().map(|&c| f64::from(c).ln()).sum();
        sum / self.counts.len() as f64
    }
}

/// The parts of a compound, nested splits included (`ruimtevaartfabriek` →
/// `ruimtevaart`, `ruimte`, `vaart`, `fabriek`), or nothing for a word that is not one.
/// `word` is lower-case ASCII, as the analyzer has folded it.
pub fn split(word: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    push_parts(word, &mut parts);
    parts
}

fn push_parts<'a>(word: &'a str, parts: &mut Vec<&'a str>) {
    if word.len() < 2 * MIN_PART || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return;
    }
    let mut memo = vec![None; word.len() + 1];
    let Some(cut) = best_cut(word, 0, &mut memo) else {
        return;
    };
    if cut.log_mean() <= f64::from(articles_as_one_word(word)).ln() {
        return;
    }
    for range in cut.parts {
        let part = &word[range];
        parts.push(part);
        push_parts(part, parts);
    }
}

/// The best cut of `word[start..]` into two or more parts, or at `start > 0` also the
/// rest as one part. `memo[start]` remembers the answer for each `start > 0`.
fn best_cut(word: &str, start: usize, memo: &mut [Option<Option<Cut>>]) -> Option<Cut> {
    if let Some(known) = &memo[start] {
        return known.clone();
    }
    let rest = &word[start..];
    let mut best: Option<Cut> = None;
    for (length, count) in words_beginning(rest.as_bytes()) {
        let end = start + length;
        let head = &word[start..end];
        if !may_be_part(head) {
            continue;
        }
        if end == word.len() {
            if start > 0 {
                keep_better(&mut best, Cut::part(start..end, count));
            }
            continue;
        }
        for linker in LINKERS {
            let tail_start = end + linker.len();
            if !word[end..].starts_with(linker) || word.len() < tail_start + MIN_PART {
                continue;
            }
            let Some(tail) = best_cut(word, tail_start, memo) else {
                continue;
            };
            if tail.parts.len() + 1 > MAX_PARTS {
                continue;
            }
            let mut cut = Cut::part(start..end, count);
            cut.parts.extend(tail.parts);
            cut.counts.extend(tail.counts);
            keep_better(&mut best, cut);
        }
    }
    if start > 0 {
        memo[start] = Some(best.clone());
    }
    best
}

fn keep_better(best: &mut Option<Cut>, cut: Cut) {
    if best.as_ref().is_none_or(|b| cut.better_than(b)) {
        *best = Some(cut);
    }
}

/// A token filter that follows each compound with its parts, at the compound's
/// position and offsets (a highlighted part marks the whole compound).
#[derive(Clone, Default)]
pub struct CompoundFilter;

impl TokenFilter for CompoundFilter {
    type Tokenizer<T: Tokenizer> = CompoundTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CompoundTokenizer<T> {
        CompoundTokenizer {
            inner: tokenizer,
            cache: FxHashMap::default(),
            parts: Vec::new(),
        }
    }
}

/// Remembered splits per indexing thread: news repeats its long words, and most are
/// not compounds.
const CACHE_LIMIT: usize = 200_000;

#[derive(Clone)]
pub struct CompoundTokenizer<T> {
    inner: T,
    cache: FxHashMap<String, Vec<String>>,
    parts: Vec<Token>,
}

impl<T: Tokenizer> Tokenizer for CompoundTokenizer<T> {
    type TokenStream<'a> = CompoundStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.parts.clear();
        CompoundStream {
            inner: self.inner.token_stream(text),
            cache: &mut self.cache,
            parts: &mut self.parts,
            part: None,
        }
    }
}

pub struct CompoundStream<'a, S> {
    inner: S,
    cache: &'a mut FxHashMap<String, Vec<String>>,
    /// The parts of the current compound still to come, last first.
    parts: &'a mut Vec<Token>,
    /// The part being emitted; `None` while the compound itself (or a plain word) is.
    part: Option<Token>,
}

impl<S: TokenStream> CompoundStream<'_, S> {
    fn queue_parts(&mut self) {
        let token = self.inner.token();
        if token.text.len() < 2 * MIN_PART {
            return;
        }
        if !self.cache.contains_key(&token.text) {
            if self.cache.len() >= CACHE_LIMIT {
                self.cache.clear();
            }
            let parts = split(&token.text).into_iter().map(str::to_owned).collect();
            self.cache.insert(token.text.clone(), parts);
        }
        for part in self.cache[&token.text].iter().rev() {
            self.parts.push(Token {
                text: part.clone(),
                ..token.clone()
            });
        }
    }
}

impl<S: TokenStream> TokenStream for CompoundStream<'_, S> {
    fn advance(&mut self) -> bool {
        self.part = self.parts.pop();
        if self.part.is_some() {
            return true;
        }
        if !self.inner.advance() {
            return false;
        }
        self.queue_parts();
        true
    }

    fn token(&self) -> &Token {
        self.part.as_ref().unwrap_or_else(|| self.inner.token())
    }

    fn token_mut(&mut self) -> &mut Token {
        self.part.as_mut().unwrap_or_else(|| self.inner.token_mut())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lexicon comes from `../shared/corpus`; without it nothing is split.
    fn lexicon_or_skip() -> bool {
        if !has_lexicon() {
            eprintln!("skipped: built without the corpus, the compound lexicon is empty");
        }
        has_lexicon()
    }

    #[test]
    fn compounds_split_into_frequent_parts_across_linking_sounds() {
        if !lexicon_or_skip() {
            return;
        }
        for (word, parts) in [
            (
                "ruimtevaartfabriek",
                &["ruimtevaart", "ruimte", "vaart", "fabriek"][..],
            ),
            (
                "vluchtelingenorganisatie",
                &["vluchtelingen", "organisatie"],
            ),
            ("arbeidsmarkt", &["arbeid", "markt"]),
            ("reuzenpanda", &["reuzen", "panda"]),
            ("woningmarkt", &["woning", "markt"]),
            ("gemeenteraad", &["gemeente", "raad"]),
        ] {
            assert_eq!(split(word), parts, "{word}");
        }
    }

    #[test]
    fn words_that_are_not_compounds_stay_whole() {
        if !lexicon_or_skip() {
            return;
        }
        for word in [
            "minister",
            "ministerie",
            "verkiezingen",
            "burgemeester",
            "nederland",
            "amsterdam",
            "feitelijk",
            "handelaar",
            "onderzoek",
            "fiets",
            "kim",
            "voorgelegd",
            "hiervoor",
            "overvallen",
            "leeftijden",
            "brandweer",
            "achterliggende",
            "voorkomende",
        ] {
            assert_eq!(split(word), Vec::<&str>::new(), "{word}");
        }
    }

    #[test]
    fn not_parts_are_sorted_for_binary_search() {
        assert!(NOT_PARTS.is_sorted());
    }

    #[test]
    fn lexicon_lookups_find_first_middle_and_last_words() {
        if !lexicon_or_skip() {
            return;
        }
        let entries = lexicon().unwrap().stream().into_str_vec().unwrap();
        for (word, count) in [
            &entries[0],
            &entries[entries.len() / 2],
            &entries[entries.len() - 1],
        ] {
            assert_eq!(u64::from(articles(word)), *count, "{word}");
        }
        assert_eq!(
            words_beginning(b"arbeidsmarkt").last().unwrap().0,
            "arbeidsmarkt".len()
        );
        assert_eq!(articles("zzzzzzzz"), 0);
        assert_eq!(articles(""), 0);
        assert!(articles("fabriek") >= 10);
    }

    #[test]
    fn parts_follow_the_compound_at_its_position_and_offsets() {
        if !lexicon_or_skip() {
            return;
        }
        let mut analyzer = tantivy::tokenizer::TextAnalyzer::builder(
            tantivy::tokenizer::SimpleTokenizer::default(),
        )
        .filter(CompoundFilter)
        .build();
        let mut stream = analyzer.token_stream("de arbeidsmarkt groeit");
        let mut tokens = Vec::new();
        while stream.advance() {
            let t = stream.token();
            tokens.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        assert_eq!(
            tokens,
            [
                ("de".into(), 0, 0, 2),
                ("arbeidsmarkt".into(), 1, 3, 15),
                ("arbeid".into(), 1, 3, 15),
                ("markt".into(), 1, 3, 15),
                ("groeit".into(), 2, 16, 22),
            ]
        );
    }
}

//! The Snowball Dutch stemmer (Kraaij-Pohlmann), called directly: the analyzer
//! remembers each word's forms (`words::FormsFilter`), so each distinct word of a segment
//! is stemmed once.
//!
//! Before the stemmer, a list of overrides (`stem_overrides.tsv`) gives the stems of the
//! words of Dutch news it gets wrong: forms it does not join (`fiets` is `fiet` but
//! `fietsen` is `fiets`; `krijgt`, `krijgen`; `groot`, `grote`) and words it joins that
//! differ (`minister` is `mini`). `examples/stemmer_study.rs` measures the stemmer on the
//! vocabulary of `../shared/corpus` and generates the list.

use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// The overrides: folded word → stem, from `stem_overrides.tsv` (`word<TAB>stem` lines,
/// `#` comments).
static OVERRIDES: &str = include_str!("stem_overrides.tsv");

fn overrides() -> &'static FxHashMap<&'static str, &'static str> {
    static MAP: OnceLock<FxHashMap<&'static str, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| {
        OVERRIDES
            .lines()
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .filter_map(|line| line.split_once('\t'))
            .collect()
    })
}

/// A word's override, if it has one (for tests that compare with Snowball's own output).
#[cfg(test)]
pub(crate) fn override_of(word: &str) -> Option<&'static str> {
    overrides().get(word).copied()
}

/// The stem of a lower-cased, folded word: its override, else its Snowball Dutch stem.
pub(crate) fn stem(word: &str) -> String {
    if let Some(stem) = overrides().get(word) {
        return (*stem).to_string();
    }
    thread_local! {
        static STEMMER: frostem::Stemmer = frostem::Stemmer::new(frostem::Algorithm::Dutch);
    }
    STEMMER.with(|stemmer| stemmer.stem(word).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_the_stemmer_missed_are_joined() {
        assert_eq!(stem("fiets"), stem("fietsen"));
        assert_eq!(stem("kans"), stem("kansen"));
        assert_eq!(stem("mens"), stem("mensen"));
        assert_eq!(stem("groot"), stem("grote"));
        assert_eq!(stem("krijgen"), stem("krijgt"));
    }

    #[test]
    fn words_the_stemmer_joined_are_apart() {
        assert_eq!(stem("minister"), stem("ministers"));
        assert_ne!(stem("minister"), stem("mini"));
        assert_eq!(stem("mini"), "mini");
        assert_ne!(stem("markt"), stem("mark"));
    }

    #[test]
    fn words_without_an_override_keep_the_snowball_stem() {
        assert_eq!(stem("fabrieken"), "fabriek");
        assert_eq!(stem("gevangenissen"), stem("gevangenis"));
    }

    /// Every line is a comment or `word<TAB>stem`; words are lower-case ASCII letters (as
    /// the analyzer folds them), once each, sorted; stems are letters too, or a letter
    /// word and an underscore.
    #[test]
    fn every_override_parses() {
        let mut words = Vec::new();
        for line in OVERRIDES.lines() {
            if line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 2, "not word<TAB>stem: {line:?}");
            let (word, stem) = (fields[0], fields[1]);
            assert!(
                !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase()),
                "not a folded word: {line:?}"
            );
            let letters = stem.strip_suffix('_').unwrap_or(stem);
            assert!(
                !letters.is_empty() && letters.bytes().all(|b| b.is_ascii_lowercase()),
                "not a stem: {line:?}"
            );
            assert_eq!(override_of(word), Some(stem));
            words.push(word);
        }
        assert!(words.len() > 100, "{} overrides", words.len());
        assert!(
            words.windows(2).all(|pair| pair[0] < pair[1]),
            "not sorted, or twice"
        );
        assert_eq!(overrides().len(), words.len());
    }
}

//! How well the Snowball Dutch stemmers join the forms of a word, and keep apart the words
//! that differ, on the vocabulary of real Dutch news; and the stem overrides dateline
//! carries for its stemmer (`src/analysis/stem_overrides.tsv`).
//!
//! ```sh
//! cargo run --release --example stemmer_study [-- --write]
//! ```
//!
//! - **Vocabulary**: in how many articles of `../shared/corpus` each word appears (leestmeer
//!   title and body with tags stripped, DPG Media title and text), tokenized as dateline's
//!   analyzer does before stemming: split on anything not a letter or digit (an apostrophe
//!   inside a word is dropped: `auto's` is `autos`), drop tokens over 40 bytes, lower-case,
//!   fold diacritics. The study takes the words of at least [`MIN_DF`] articles that are
//!   all letters and not stop words (the analyzer drops those before stemming).
//! - **Inflection**: the forms regular Dutch inflection makes of a word, by rule, with the
//!   spelling changes (`kat`/`katten`, `jaar`/`jaren`, `brief`/`brieven`, `huis`/`huizen`,
//!   `kind`/`kinderen`, `groot`/`grote`, `werken`/`werkt`/`werkte`/`gewerkt`,
//!   `leven`/`leefde`/`geleefd`); a pair is a word and one of its forms, both in the
//!   vocabulary. The *strict* rules are those this study trusts to join words; the *loose*
//!   ones (vowel lengthening `dag`/`dagen`, `-s` after any consonant, comparatives,
//!   diminutives, present and strong participles) only keep a conflation from being called
//!   false.
//! - **Missed joins**: strict pairs whose stems differ, weighted by the smaller df of the
//!   two. **False conflations**: words with one stem that no chain of (loose) inflection
//!   pairs links: each pair of such families within a stem, weighted by the smaller of the
//!   two families' largest df.
//! - **Overrides** (for Kraaij-Pohlmann, `frostem::Algorithm::Dutch`, dateline's stemmer):
//!   among the words of at least [`OVERRIDE_DF`] articles, the forms a strict pair joins get
//!   one stem, and a stem's families are split where Porter's stemmer keeps them apart too
//!   (`minister`/`ministers` get the stem `minister`; `mini` keeps `mini`). `--write`
//!   writes them to `src/analysis/stem_overrides.tsv`.
//! - **Check**: UD Dutch Alpino (`../shared/corpus/ud-dutch-alpino-newspaper`) gives each
//!   word form of its newspaper sentences a lemma: the forms of one lemma a stemmer joins,
//!   and the forms of different lemmas it conflates, for each stemmer; and how often the
//!   strict pairs share a lemma.

use anyhow::{Context, Result};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::BufRead;
use std::path::Path;
use std::time::Instant;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    StopWordFilter, TextAnalyzer, TokenStream,
};

const CORPUS: &str = "../shared/corpus";
const LEESTMEER: &str = "leestmeer/leestmeer-2012-2019-07.jsonl.gz";
const DPG: &str = "dpgmedia-partisan-news2019/dpgMedia2019-articles-byarticle-all.jsonl";
const UD: [&str; 2] = [
    "ud-dutch-alpino-newspaper/nl_alpino-ud-dev.conllu",
    "ud-dutch-alpino-newspaper/nl_alpino-ud-test.conllu",
];
const OVERRIDES: &str = "src/analysis/stem_overrides.tsv";
/// Words of fewer articles are left out of the study.
const MIN_DF: u32 = 10;
/// Overrides are made only for words of at least this many articles.
const OVERRIDE_DF: u32 = 20;
/// As dateline's analyzer.
const MAX_TOKEN_BYTES: usize = 40;
/// A word written with a capital this often is a name (or a word made of one,
/// `Nederlandse`).
const PROPER_CAPITALS: f32 = 0.8;
const TOP: usize = 40;
/// A family of a stem is split from the family of the word that is the stem only where
/// their words are found in the same articles less than this many times as often as by
/// chance (`minister` and `mini`, 0.6): related words are (`woning` and `wonen`, 14.7).
const MAX_LIFT: f64 = 4.0;
/// And only where chance alone would put them in this many articles together: else too
/// little is known (`os` and `Oss`, 0.3).
const MIN_EXPECTED: f64 = 1.0;

fn main() -> Result<()> {
    let (mut write, mut list) = (false, false);
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--write" => write = true,
            "--list" => list = true,
            _ => anyhow::bail!("usage: stemmer_study [--write] [--list]"),
        }
    }
    let started = Instant::now();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join(CORPUS);
    let Corpus {
        texts,
        counts,
        capitals,
    } = vocabulary(&corpus)?;
    let articles = texts.len();
    let stop = stop_words(counts.keys());
    let mut study: Vec<(String, u32)> = counts
        .iter()
        .filter(|(word, df)| {
            **df >= MIN_DF && word.bytes().all(|b| b.is_ascii_lowercase()) && !stop.contains(*word)
        })
        .map(|(word, df)| (word.clone(), *df))
        .collect();
    study.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let vocab = Vocab::new(study, &counts, &capitals);
    println!(
        "{articles} articles, {} distinct words; {} words in at least {MIN_DF} articles (letters only, no stop words); read in {:.1} s",
        counts.len(),
        vocab.len(),
        started.elapsed().as_secs_f64()
    );

    let links = inflection_links(&vocab);
    let strict = links.iter().filter(|link| link.strict).count();
    println!(
        "inflection pairs: {strict} strict, {} loose only ({} strict ones rejected in review)",
        links.len() - strict,
        REVIEWED_WRONG.len()
    );
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for link in links.iter().filter(|link| link.strict) {
        *by_rule.entry(link.rule).or_default() += 1;
    }
    println!(
        "strict pairs by rule: {}",
        by_rule
            .iter()
            .map(|(rule, n)| format!("{rule} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let families = Families::new(&vocab, &links);

    let kp = frostem::Stemmer::new(frostem::Algorithm::Dutch);
    let porter = frostem::Stemmer::new(frostem::Algorithm::DutchPorter);
    let kp_stems: Vec<String> = vocab
        .words
        .iter()
        .map(|w| kp.stem(w).into_owned())
        .collect();
    let porter_stems: Vec<String> = vocab
        .words
        .iter()
        .map(|w| porter.stem(w).into_owned())
        .collect();

    let overrides = overrides(&vocab, &links, &families, &kp_stems, &porter_stems, &texts);
    let kp_overridden: Vec<String> = vocab
        .words
        .iter()
        .zip(&kp_stems)
        .map(|(word, stem)| overrides.get(word).map_or(stem, |o| &o.0).clone())
        .collect();
    let stemmers: [(&str, &[String]); 3] = [
        ("Kraaij-Pohlmann (frostem Dutch, dateline's)", &kp_stems),
        ("Porter (frostem DutchPorter)", &porter_stems),
        ("Kraaij-Pohlmann + these overrides", &kp_overridden),
    ];
    let mut summary = Vec::new();
    for (name, stems) in &stemmers {
        let missed = missed_joins(&vocab, &links, stems);
        let false_conflations = false_conflations(&vocab, &families, stems);
        let missed_weight: u64 = missed.iter().map(|m| u64::from(m.weight)).sum();
        let false_weight: u64 = false_conflations.iter().map(|f| u64::from(f.weight)).sum();
        summary.push(format!(
            "| {name} | {} | {missed_weight} | {} | {false_weight} |",
            missed.len(),
            false_conflations.len()
        ));
        println!();
        println!("== {name} ==");
        println!(
            "missed joins (strict pairs with different stems): {} pairs, df-weighted {missed_weight}",
            missed.len()
        );
        println!(
            "false conflations (families of one stem not linked by inflection): {} pairs, df-weighted {false_weight}",
            false_conflations.len()
        );
        println!();
        println!("top {TOP} missed joins (min df: base df / form df, rule, stems):");
        for m in missed.iter().take(TOP) {
            let (a, b) = (m.link.base, m.link.form);
            println!(
                "  {:>6}  {} {} / {} {}  ({})  {} / {}",
                m.weight,
                vocab.words[a],
                vocab.df[a],
                vocab.words[b],
                vocab.df[b],
                m.link.rule,
                stems[a],
                stems[b]
            );
        }
        println!();
        println!("top {TOP} false conflations (weight  stem: family | family):");
        for f in false_conflations.iter().take(TOP) {
            println!(
                "  {:>6}  {}: {} | {}",
                f.weight,
                f.stem,
                show_words(&vocab, &f.first),
                show_words(&vocab, &f.second)
            );
        }
    }
    println!();
    println!("| stemmer | missed joins | df-weighted | false conflations | df-weighted |");
    println!("|---|---|---|---|---|");
    for line in &summary {
        println!("{line}");
    }

    ud_check(&corpus, &vocab, &links, &kp, &porter, &overrides)?;

    println!();
    println!(
        "{} overrides (words of at least {OVERRIDE_DF} articles)",
        overrides.len()
    );
    if list {
        for (word, (_, reason)) in &overrides {
            println!("  {word} {}: {reason}", counts[word]);
        }
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(OVERRIDES);
    let file = overrides_file(&overrides);
    if write {
        std::fs::write(&path, &file).with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {}", path.display());
    } else if std::fs::read_to_string(&path).ok().as_deref() == Some(file.as_str()) {
        println!("{OVERRIDES} is up to date");
    } else {
        println!("{OVERRIDES} differs from these overrides: `--write` writes them");
    }
    println!("took {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The vocabulary

/// The corpus as the study reads it.
struct Corpus {
    /// Each article's title and text (tags stripped, apostrophes in words dropped).
    texts: Vec<String>,
    /// In how many articles each word appears.
    counts: FxHashMap<String, u32>,
    /// The share of each word's uses written with a capital.
    capitals: FxHashMap<String, f32>,
}

fn vocabulary(corpus: &Path) -> Result<Corpus> {
    let mut texts: Vec<String> = Vec::new();
    for (path, body) in [(LEESTMEER, "body_html"), (DPG, "text")] {
        let path = corpus.join(path);
        let file =
            std::fs::File::open(&path).with_context(|| format!("opening {}", path.display()))?;
        let reader: Box<dyn BufRead> = if path.extension().is_some_and(|e| e == "gz") {
            Box::new(std::io::BufReader::new(flate2::read::GzDecoder::new(file)))
        } else {
            Box::new(std::io::BufReader::new(file))
        };
        for line in reader.lines() {
            let item: serde_json::Value = serde_json::from_str(&line?)?;
            let field = |key: &str| item.get(key).and_then(|v| v.as_str()).unwrap_or("");
            let text = format!("{}\n{}", field("title"), strip_tags(field(body)));
            texts.push(drop_inner_apostrophes(&text));
        }
    }
    // (articles, uses, uses with a capital)
    type Counts = FxHashMap<String, (u32, u32, u32)>;
    let counts: Counts = texts
        .par_iter()
        .fold(
            || (cased_analyzer(), FxHashSet::default(), Counts::default()),
            |(mut analyzer, mut seen, mut counts): (_, FxHashSet<String>, Counts), text| {
                seen.clear();
                for token in terms(&mut analyzer, text) {
                    let word = token.to_lowercase();
                    let entry = counts.entry(word.clone()).or_default();
                    entry.1 += 1;
                    entry.2 += u32::from(token.starts_with(char::is_uppercase));
                    if seen.insert(word) {
                        entry.0 += 1;
                    }
                }
                (analyzer, seen, counts)
            },
        )
        .map(|(_, _, counts)| counts)
        .reduce(Counts::default, |mut a, b| {
            for (word, (articles, uses, capitalized)) in b {
                let entry = a.entry(word).or_default();
                entry.0 += articles;
                entry.1 += uses;
                entry.2 += capitalized;
            }
            a
        });
    let capitals = counts
        .iter()
        .map(|(word, (_, uses, capitalized))| (word.clone(), *capitalized as f32 / *uses as f32))
        .collect();
    let counts = counts
        .into_iter()
        .map(|(word, (articles, _, _))| (word, articles))
        .collect();
    Ok(Corpus {
        texts,
        counts,
        capitals,
    })
}

/// [`analyzer`] without lower-casing (the caller lower-cases; folding first gives the
/// same words).
fn cased_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(AsciiFoldingFilter)
        .build()
}

/// The terms an analyzer makes of a text, in order.
fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while stream.advance() {
        terms.push(stream.token().text.clone());
    }
    terms
}

/// Dateline's analysis up to stemming, without compounds and stop words.
fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The words tantivy's Dutch stop word filter drops.
fn stop_words<'a>(words: impl Iterator<Item = &'a String>) -> FxHashSet<String> {
    let mut filter = TextAnalyzer::builder(RawTokenizer::default())
        .filter(StopWordFilter::new(Language::Dutch).expect("Dutch stop words"))
        .build();
    words
        .filter(|word| terms(&mut filter, word).is_empty())
        .cloned()
        .collect()
}

/// Text of an HTML fragment: tags become spaces, entities their characters.
fn strip_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(['<', '&']) {
        text.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('<') {
            match rest.find('>') {
                Some(end) => {
                    text.push(' ');
                    rest = &rest[end + 1..];
                }
                None => rest = "",
            }
            continue;
        }
        let entity = rest[1..]
            .find(';')
            .filter(|&end| end <= 10)
            .map(|end| &rest[1..=end]);
        match entity.and_then(decode_entity) {
            Some(c) => {
                text.push(c);
                rest = &rest[entity.map_or(1, |e| e.len() + 2)..];
            }
            None => {
                text.push('&');
                rest = &rest[1..];
            }
        }
    }
    text.push_str(rest);
    text
}

/// An entity's character (`#8217`, `eacute`); unknown names are a space.
fn decode_entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code);
    }
    if !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    Some(match name {
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        "lt" => '<',
        "gt" => '>',
        "euml" => 'ë',
        "eacute" => 'é',
        "egrave" => 'è',
        "iuml" => 'ï',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "rsquo" | "lsquo" => '\'',
        _ => ' ',
    })
}

/// `auto's` → `autos`: an apostrophe between two letters or digits is dropped, as the
/// tokenizer does.
fn drop_inner_apostrophes(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let apostrophe = matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`' | '\u{b4}');
        if apostrophe
            && i > 0
            && chars[i - 1].is_alphanumeric()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric())
        {
            continue;
        }
        out.push(c);
    }
    out
}

/// The study's words, most frequent first, with their article counts.
struct Vocab {
    words: Vec<String>,
    df: Vec<u32>,
    index: FxHashMap<String, usize>,
    /// The words of at least two articles, for evidence that a form exists at all.
    seen: FxHashSet<String>,
    /// The article counts of all words of the corpus.
    counts: FxHashMap<String, u32>,
    /// Whether a word is a name: written with a capital at least [`PROPER_CAPITALS`] of
    /// the time.
    proper: Vec<bool>,
}

impl Vocab {
    fn new(
        words: Vec<(String, u32)>,
        counts: &FxHashMap<String, u32>,
        capitals: &FxHashMap<String, f32>,
    ) -> Vocab {
        let index = words
            .iter()
            .enumerate()
            .map(|(i, (w, _))| (w.clone(), i))
            .collect();
        let (words, df): (Vec<String>, Vec<u32>) = words.into_iter().unzip();
        let proper = words
            .iter()
            .map(|w| capitals[w] >= PROPER_CAPITALS)
            .collect();
        let seen = counts
            .iter()
            .filter(|(_, df)| **df >= 2)
            .map(|(w, _)| w.clone())
            .collect();
        Vocab {
            words,
            df,
            index,
            seen,
            proper,
            counts: counts.clone(),
        }
    }

    fn len(&self) -> usize {
        self.words.len()
    }

    fn get(&self, word: &str) -> Option<usize> {
        self.index.get(word).copied()
    }

    fn has(&self, word: &str) -> bool {
        self.index.contains_key(word)
    }
}

// ---------------------------------------------------------------------------------------
// Dutch inflection by rule

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// The number of vowel groups: syllables, near enough.
fn syllables(w: &[u8]) -> usize {
    let mut count = 0;
    let mut previous = false;
    for &b in w {
        let vowel = is_vowel(b);
        if vowel && !previous {
            count += 1;
        }
        previous = vowel;
    }
    count
}

/// The vowel group of the last syllable and the consonants after it: `prijs` → (`ij`,
/// `s`), `kat` → (`a`, `t`), `mooi` → (`ooi`, ``). `j` after `i` is part of the vowel.
fn last_syllable(w: &[u8]) -> (&[u8], &[u8]) {
    let mut coda = w.len();
    while coda > 0 && !is_vowel(w[coda - 1]) {
        if w[coda - 1] == b'j' && coda >= 2 && w[coda - 2] == b'i' {
            break;
        }
        coda -= 1;
    }
    let mut end = coda;
    if end < w.len() && w[end] == b'j' && end > 0 && w[end - 1] == b'i' {
        end += 1;
        coda = end;
    }
    let mut start = if end > 0 && w[end - 1] == b'j' {
        end - 1
    } else {
        end
    };
    while start > 0 && is_vowel(w[start - 1]) {
        start -= 1;
    }
    (&w[start..coda], &w[coda..])
}

/// `aa`, `ee`, `oo`, `uu`.
fn is_double_vowel(nucleus: &[u8]) -> bool {
    nucleus.len() == 2
        && nucleus[0] == nucleus[1]
        && matches!(nucleus[0], b'a' | b'e' | b'o' | b'u')
}

fn is_short_vowel(nucleus: &[u8]) -> bool {
    matches!(nucleus, [b'a' | b'e' | b'i' | b'o' | b'u'])
}

/// What a suffix that begins with a vowel (`-en`, `-e`, `-eren`) is written after, with the
/// spelling changes: `kat` → `katt`, `jaar` → `jar`, `brief` → `brief`/`briev`, `huis` →
/// `huis`/`huiz`; the strict forms first, then (after `None`) the loose ones.
///
/// - A short vowel before one consonant doubles it; in a word of one syllable only that
///   (`bal` → `ballen`; `dag` → `dagen` lengthens the vowel, loose); in a longer word the
///   stress decides, which spelling does not show, so both (`kanon` → `kanonnen`,
///   `monnik` → `monniken`), except after an unstressed `-ig` (`-igen`).
/// - `aa`, `ee`, `oo`, `uu` before one consonant are written single (`jaar` → `jaren`).
/// - A final `f` or `s` after a long vowel, diphthong or `l`, `r`, `n` may voice
///   (`brieven`, `huizen`, `halve`, `ganzen`) or not (`kruisen`, `mensen`): both.
fn vowel_suffix_bases(word: &str) -> (Vec<String>, Vec<String>) {
    let w = word.as_bytes();
    let (nucleus, coda) = last_syllable(w);
    let mut strict = Vec::new();
    let mut loose = Vec::new();
    let head = &word[..word.len() - coda.len()];
    match coda {
        [] => strict.push(word.to_string()),
        [c] if is_short_vowel(nucleus) && !matches!(c, b'w' | b'x' | b'h' | b'j' | b'y') => {
            let doubled = format!("{word}{}", *c as char);
            if syllables(w) == 1 {
                strict.push(doubled);
                loose.push(word.to_string());
                if matches!(c, b'f' | b's') {
                    loose.push(format!("{head}{}", voiced(*c)));
                }
            } else if nucleus == b"i" && *c == b'g' {
                strict.push(word.to_string());
            } else {
                strict.push(doubled);
                strict.push(word.to_string());
            }
        }
        [c] => {
            let head = if is_double_vowel(nucleus) {
                &head[..head.len() - 1]
            } else {
                head
            };
            strict.push(format!("{head}{}", *c as char));
            if matches!(c, b'f' | b's') && !is_short_vowel(nucleus) {
                strict.push(format!("{head}{}", voiced(*c)));
            }
        }
        [.., l, c] => {
            strict.push(word.to_string());
            if matches!(c, b'f' | b's') && matches!(l, b'l' | b'r' | b'n') {
                strict.push(format!("{}{}", &word[..word.len() - 1], voiced(*c)));
            }
        }
    }
    (strict, loose)
}

fn voiced(c: u8) -> char {
    match c {
        b'f' => 'v',
        b's' => 'z',
        _ => c as char,
    }
}

/// A pair of words related by inflection: `form` is a form of `base`.
#[derive(Clone, Copy, Debug)]
struct Link {
    base: usize,
    form: usize,
    rule: &'static str,
    strict: bool,
}

/// Bases and forms are at least this long: `b`/`be`, `t`/`ten` are noise.
const MIN_LETTERS: usize = 3;

/// Pairs the strict rules make that the review of the overrides found wrong: (base, form,
/// why). The strict pairs of words in at least [`OVERRIDE_DF`] articles whose
/// Kraaij-Pohlmann stems differ were read (they alone make overrides, about 1,400), and
/// the override list itself; these are homographs the rules cannot tell apart (a noun
/// plural that looks like an infinitive, an English word or a name with `-e`), kept as
/// loose pairs.
const REVIEWED_WRONG: &[(&str, &str, &str)] = &[
    // adjective -e: the `-e` form is another word
    ("aard", "aarde", "nature / earth"),
    ("baard", "baarde", "beard / bore"),
    ("been", "bene", "leg / -"),
    ("coup", "coupe", "coup / haircut"),
    ("deelnam", "deelname", "took part / participation"),
    ("draak", "drake", "dragon / name"),
    ("faam", "fame", "fame / English"),
    ("heer", "here", "gentleman / Lord, English here"),
    ("heet", "hete", "is called / hot: joins `hete` to `heten`"),
    ("helen", "helene", "heal / name"),
    ("hoed", "hoede", "hat / guard"),
    ("hoop", "hope", "hope / English"),
    ("instituut", "institute", "English"),
    ("juli", "julie", "July / name"),
    ("louis", "louise", "names"),
    ("maan", "mane", "moon / -"),
    ("maat", "mate", "size / degree"),
    ("minuut", "minute", "English"),
    ("naam", "name", "name / `met name`, English"),
    ("natuur", "nature", "English"),
    ("pan", "panne", "pan / breakdown, De Panne"),
    ("paus", "pauze", "pope / break"),
    ("room", "rome", "cream / Rome"),
    ("roos", "roze", "rose / pink"),
    ("staat", "state", "English"),
    ("verf", "verve", "paint / verve"),
    ("waard", "waarde", "worth / value"),
    ("weer", "were", "again / English"),
    ("wijs", "wijze", "wise / manner"),
    (
        "wild",
        "wilde",
        "wild / wanted (`willen`): joins `wild` to `willen`",
    ),
    ("zeer", "zere", "very / sore"),
    (
        "getal",
        "getale",
        "number / `ten getale`: joins `getal` to `taal`",
    ),
    // plural -en: the `-en` form is another word
    ("all", "allen", "English / all of them"),
    ("deelnam", "deelnamen", "took part / participations"),
    ("erger", "ergeren", "worse / annoy"),
    ("gedrag", "gedragen", "behaviour / behave, carried"),
    ("geld", "gelden", "money / apply"),
    ("genot", "genoten", "pleasure / enjoyed"),
    ("opnam", "opnamen", "took up / recordings"),
    ("overweg", "overwegen", "level crossing / consider"),
    ("roll", "rollen", "English / roll"),
    ("server", "serveren", "server / serve"),
    ("uitbrak", "uitbraken", "broke out / outbreaks"),
    ("uitsprak", "uitspraken", "pronounced / statements"),
    ("vastgezet", "vastgezeten", "locked up / been stuck"),
    ("waard", "waarden", "worth / values"),
    ("will", "willen", "English / want"),
    ("wild", "wilden", "wild / wanted (`willen`)"),
    // plural -eren
    ("goed", "goederen", "good / goods"),
    ("ijs", "ijzeren", "ice / iron"),
    (
        "oud",
        "ouderen",
        "old / the elderly, joins `ouders` (parents)",
    ),
    // plural -n, -s
    ("bio", "bios", "organic / cinema"),
    ("bui", "buis", "shower / tube"),
    ("gegeven", "gegevens", "given / data"),
    ("lood", "loods", "lead / shed"),
    ("have", "haven", "English / harbour"),
    ("wake", "waken", "English / watch"),
    ("wij", "wijs", "we / wise"),
    // verb -t: the infinitive is a plural, or the `-t` form another word
    ("buren", "buurt", "neighbours / neighbourhood"),
    ("dagen", "daagt", "days / dares"),
    ("hallen", "halt", "halls / stop"),
    ("kannen", "kant", "jugs / side"),
    ("kassen", "kast", "greenhouses / cupboard"),
    ("kussen", "kust", "pillow / coast"),
    ("landen", "landt", "countries / lands"),
    ("lonen", "loont", "wages / pays"),
    ("messen", "mest", "knives / manure"),
    ("plannen", "plant", "plans / plant"),
    ("rijzen", "rijst", "rise / rice"),
    ("sporen", "spoort", "tracks / tallies"),
    ("staren", "staart", "stare / tail"),
    ("stranden", "strandt", "beaches / strands"),
    ("tassen", "tast", "bags / gropes"),
    ("voren", "voort", "`naar voren` / onward"),
    ("wegen", "weegt", "roads / weighs"),
    ("bestelen", "bestelt", "rob / orders"),
    // verb stem, past, participle: a strong verb's form, or another word
    ("wilden", "wild", "wanted / wild"),
    ("binnen", "binden", "inside / bind"),
    ("tassen", "tasten", "bags / grope"),
    ("wonnen", "wonden", "won / wounds"),
    ("wennen", "wenden", "get used / turn"),
    ("verzonnen", "verzonden", "made up / sent"),
    ("bestelen", "bestelde", "rob / ordered"),
    ("bestelen", "besteld", "rob / ordered"),
    ("bekennen", "bekende", "confess / well-known"),
    ("bekennen", "bekenden", "confess / acquaintances"),
    ("bekennen", "bekend", "confess / known"),
    ("gelegen", "gelegd", "situated / laid"),
    ("verbannen", "verband", "banish / connection"),
    ("rusten", "gerust", "rest / reassured"),
    ("verkeren", "verkeerd", "be in / wrong"),
    ("beleven", "beleefd", "experience / polite"),
    ("landen", "geland", "countries / landed"),
    ("stranden", "gestrand", "beaches / stranded"),
    ("stranden", "gestrande", "beaches / stranded"),
    ("wenden", "gewend", "turn / used to"),
];

/// Every pair of study words that inflection rules relate.
fn inflection_links(vocab: &Vocab) -> Vec<Link> {
    let mut links: FxHashMap<(usize, usize), Link> = FxHashMap::default();
    let mut add = |base: usize, form: &str, rule: &'static str, strict: bool| {
        if form.len() < MIN_LETTERS {
            return;
        }
        let Some(form_index) = vocab.get(form) else {
            return;
        };
        if form_index == base {
            return;
        }
        let strict = strict
            && !REVIEWED_WRONG
                .iter()
                .any(|(b, f, _)| *b == vocab.words[base] && *f == form);
        let key = (base.min(form_index), base.max(form_index));
        let link = Link {
            base,
            form: form_index,
            rule,
            strict,
        };
        links
            .entry(key)
            .and_modify(|old| {
                if strict && !old.strict {
                    *old = link;
                }
            })
            .or_insert(link);
    };
    for (base, word) in vocab.words.iter().enumerate() {
        if word.len() < MIN_LETTERS {
            continue;
        }
        noun_and_adjective_forms(vocab, word, &mut |form, rule, strict| {
            add(base, form, rule, strict)
        });
        let stems = verb_stems(vocab, word);
        if word.len() >= 4 && (word.ends_with("en") || word.ends_with("aan")) {
            // Any infinitive: `werkend`, `komende` (strict where the word has other verb
            // forms); strong participles `gekomen`, `gezien` (loose: `gevallen` is also
            // the plural of `geval`).
            let verb = stems.iter().any(|(_, evidence)| *evidence);
            add(base, &format!("{word}d"), "present participle", verb);
            add(base, &format!("{word}de"), "present participle", verb);
            add(base, &format!("ge{word}"), "strong participle", false);
        }
        for (stem, evidence) in stems {
            // Who does it, a woman: `speelster`, `voetbalster` (loose).
            add(base, &format!("{}ster", stem.stem), "feminine", false);
            add(base, &format!("{}sters", stem.stem), "feminine", false);
            verb_forms(&stem, &mut |form, rule, strict| {
                add(base, form, rule, strict && evidence)
            });
        }
        // Separable verbs (loose): `oproepen`/`opgeroepen`, `aanpassen`/`aangepast`.
        if word.ends_with("en") {
            for split in 2..word.len().saturating_sub(4) {
                let (particle, verb) = word.split_at(split);
                if !vocab.has(verb) {
                    continue;
                }
                add(
                    base,
                    &format!("{particle}ge{verb}"),
                    "separable participle",
                    false,
                );
                for stem in verb_candidates(vocab, verb) {
                    verb_forms(&stem, &mut |form, rule, _| {
                        if let Some(participle) = form.strip_prefix("ge")
                            && rule == "participle"
                        {
                            add(
                                base,
                                &format!("{particle}ge{participle}"),
                                "separable participle",
                                false,
                            );
                        }
                    });
                }
            }
        }
    }
    let mut links: Vec<Link> = links.into_values().collect();
    // Names: `jans`/`jansen`, `luca`/`lucas`, `klopp`/`kloppen`, `philip`/`philippe`
    // are no inflections. Of two names only an adjective of a word in `-s` is
    // (`nederlands`/`nederlandse`); of a word and a name, only an adjective of the word
    // (`verenigd`/`verenigde`, of `Verenigde Staten`).
    for link in &mut links {
        let (base, form) = (vocab.proper[link.base], vocab.proper[link.form]);
        if base || form {
            let adjective = link.rule == "adjective -e";
            link.strict &= adjective
                && if base && form {
                    vocab.words[link.base].ends_with('s')
                } else {
                    !base
                };
        }
    }
    // A past in `-de(n)` that is also a noun's plural is not trusted: `vellen`/`velden`
    // (of `veld`), `binden`/`bonden` (of `bond`).
    for link in &mut links {
        if link.rule == "verb past" {
            let form = &vocab.words[link.form];
            let noun = form.strip_suffix("en").or_else(|| form.strip_suffix('e'));
            if noun.is_some_and(|noun| noun.ends_with('d') && vocab.has(noun)) {
                link.strict = false;
            }
        }
    }
    // A verb form of two infinitives that nothing else links is not trusted: `geveld` of
    // `vellen` and of `velden` (the plural of `veld`).
    let strict_pairs: FxHashSet<(usize, usize)> = links
        .iter()
        .filter(|link| link.strict)
        .map(|link| (link.base.min(link.form), link.base.max(link.form)))
        .collect();
    let mut verbs_of: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for link in links
        .iter()
        .filter(|link| link.strict && (link.rule.starts_with("verb") || link.rule == "participle"))
    {
        verbs_of.entry(link.form).or_default().push(link.base);
    }
    for link in &mut links {
        if let Some(verbs) = verbs_of.get(&link.form)
            && (link.rule.starts_with("verb") || link.rule == "participle")
            && verbs.iter().any(|&other| {
                other != link.base
                    && !strict_pairs.contains(&(other.min(link.base), other.max(link.base)))
            })
        {
            link.strict = false;
        }
    }
    // A participle or past has no plural in `-en`: `gered`/`gereden`, `gezet`/`gezeten`.
    let verb_forms: FxHashSet<usize> = links
        .iter()
        .filter(|link| {
            link.strict
                && (link.rule.starts_with("verb") || link.rule == "participle")
                && link.rule != "verb stem"
        })
        .map(|link| link.form)
        .collect();
    for link in &mut links {
        if link.rule == "plural -en" && verb_forms.contains(&link.base) {
            link.strict = false;
        }
    }
    links.sort_unstable_by_key(|link| (link.base, link.form));
    links
}

/// Noun plurals, adjective `-e`, and (loose) comparatives, ordinals and diminutives of
/// `word`.
fn noun_and_adjective_forms(
    vocab: &Vocab,
    word: &str,
    add: &mut dyn FnMut(&str, &'static str, bool),
) {
    let w = word.as_bytes();
    let last = w[w.len() - 1];
    let (nucleus, coda) = last_syllable(w);
    if last == b'e' {
        // `ziekte`: `ziekten`, `ziektes`; `idee`, `knie`: `ideeen`, `knieen`.
        if nucleus.len() >= 2 && matches!(&nucleus[nucleus.len() - 2..], b"ee" | b"ie") {
            add(&format!("{word}en"), "plural -en", true);
            add(&format!("{word}s"), "plural -s", nucleus.ends_with(b"ie"));
        } else {
            // Not where the word is the `-e` form of another (`dure` of `duur`: `duren`
            // is a verb; `lage`, `late`, `hete`), nor where the `-n` form is the `-en`
            // form of another word too (`zone`/`zonen`, of `zoon`; `take`/`taken`).
            let head = &word[..word.len() - 1];
            let other = en_bases(head).iter().any(|b| b != word && vocab.has(b));
            add(&format!("{word}n"), "plural -n", !other);
            add(&format!("{word}s"), "plural -s", true);
        }
        diminutives(word, add);
        return;
    }
    let (strict, loose) = vowel_suffix_bases(word);
    let has_en_plural = strict
        .iter()
        .chain(&loose)
        .any(|base| vocab.has(&format!("{base}en")));
    let takes_en = has_en_plural
        || strict
            .iter()
            .chain(&loose)
            .any(|base| vocab.has(&format!("{base}e")));
    for (bases, is_strict) in [(&strict, true), (&loose, false)] {
        for base in bases.iter() {
            add(&format!("{base}en"), "plural -en", is_strict);
            // Not where the `-e` form is a noun with an `-s` plural (`paus`/`pauze`,
            // `pauzes`; `staat`/`state`, `states`) in at least 1 in 20 of its articles.
            let adjective = format!("{base}e");
            let noun = vocab
                .counts
                .get(&format!("{adjective}s"))
                .is_some_and(|&plural| {
                    plural >= 3 && 20 * plural >= vocab.counts.get(&adjective).copied().unwrap_or(0)
                });
            add(&adjective, "adjective -e", is_strict && !noun);
            add(&format!("{base}er"), "comparative -er", false);
            add(&format!("{base}ere"), "comparative -er", false);
            // Women: `zangeres`, `prinses`, `winnares`, `lerares`.
            add(&format!("{base}es"), "feminine", false);
            add(&format!("{base}essen"), "feminine", false);
            if syllables(w) == 1 {
                let form = format!("{base}eren");
                // `kind`/`kinderen`, `goed`/`goederen`; not where the word has an `-en`
                // plural (`wond`/`wonden`, not `wonderen`), the form is a verb
                // (`park`/`parkeren`, `spion`/`spioneren`: `parkeert` or `spioneerde` is
                // in the corpus) or the plural of a word more frequent than this one
                // (`and`/`anderen`, of `ander`).
                let plural_of = &form[..form.len() - 2];
                let strict = is_strict
                    && !has_en_plural
                    && !is_verb(vocab, &form)
                    && vocab
                        .get(plural_of)
                        .is_none_or(|x| vocab.df[x] < vocab.df[vocab.index[word]]);
                add(&form, "plural -eren", strict);
            }
        }
    }
    add(&format!("{word}st"), "superlative -st", false);
    add(&format!("{word}ste"), "superlative -st", false);
    // Women of an `-er` noun (loose): `woordvoerder`/`woordvoerster`, `speler`/`speelster`.
    if let Some(head) = word.strip_suffix("er") {
        for head in [Some(head), head.strip_suffix('d')].into_iter().flatten() {
            for base in en_bases(head) {
                add(&format!("{base}ster"), "feminine", false);
                add(&format!("{base}sters"), "feminine", false);
            }
        }
    }
    if last == b'r' {
        add(&format!("{word}der"), "comparative -er", false);
        add(&format!("{word}dere"), "comparative -er", false);
    }
    if vocab.has(&format!("{word}tien")) {
        // Ordinals of numbers (`vijftien`): `vijfde`, `achtste`.
        add(&format!("{word}de"), "ordinal", false);
        add(&format!("{word}ste"), "ordinal", false);
    }
    // `-s` plurals: `auto's` (`autos`), `winkels`, `wagens`, `leiders`, `teams`; not
    // `paars`, `nieuws`: a word with an `-en` plural or `-e` form is not taken to have an
    // `-s` plural; and no `-s` at all after a word that is itself an `-en` form
    // (`volgen`/`volgens`, `wegen`/`wegens`).
    let en_form = word
        .strip_suffix("en")
        .is_some_and(|x| en_bases(x).iter().any(|b| vocab.has(b)));
    if last != b's' && !en_form {
        let schwa_end = coda.len() == 1
            && nucleus == b"e"
            && matches!(last, b'l' | b'm' | b'n' | b'r')
            && syllables(w) >= 2;
        let strict = coda.is_empty() || schwa_end || !takes_en;
        add(&format!("{word}s"), "plural -s", strict);
    }
    diminutives(word, add);
}

/// The words `x` + `en` may be a form of: `kuss` → `kus`, `ram` → `raam`, `lev` → `leef`.
fn en_bases(x: &str) -> Vec<String> {
    let b = x.as_bytes();
    let mut bases = vec![x.to_string()];
    if b.len() < 2 {
        return bases;
    }
    let last = b[b.len() - 1];
    if b.len() >= 3 && b[b.len() - 2] == last && !is_vowel(last) {
        bases.push(x[..x.len() - 1].to_string());
    }
    let (nucleus, coda) = last_syllable(b);
    if coda.len() == 1 && is_short_vowel(nucleus) && nucleus[0] != b'i' {
        let head = &x[..x.len() - 1];
        bases.push(format!("{head}{}{}", nucleus[0] as char, last as char));
    }
    let devoiced: Vec<String> = bases
        .iter()
        .filter_map(|base| {
            let stripped = base.strip_suffix('v').map(|h| format!("{h}f"));
            stripped.or_else(|| base.strip_suffix('z').map(|h| format!("{h}s")))
        })
        .collect();
    bases.extend(devoiced);
    bases
}

/// Loose: `huisje`, `stoeltje`, `boompje`, `balletje`, `koninkje`, `autootje`, and their
/// plurals in `-s`.
fn diminutives(word: &str, add: &mut dyn FnMut(&str, &'static str, bool)) {
    let w = word.as_bytes();
    let (nucleus, coda) = last_syllable(w);
    let mut forms = vec![format!("{word}je"), format!("{word}tje")];
    if w.ends_with(b"m") {
        forms.push(format!("{word}pje"));
    }
    if let [c] = coda
        && is_short_vowel(nucleus)
    {
        forms.push(format!("{word}{}etje", *c as char));
    }
    forms.push(format!("{word}etje"));
    if let Some(head) = word.strip_suffix("ng") {
        forms.push(format!("{head}nkje"));
    }
    if coda.is_empty() && is_short_vowel(nucleus) {
        forms.push(format!("{word}{}tje", nucleus[0] as char));
    }
    for form in forms {
        add(&form, "diminutive", false);
        add(&format!("{form}s"), "diminutive", false);
    }
}

/// Verbs whose participle takes no `ge-`: `betaald`, `verkocht`, `ontdekt`, `herhaald`,
/// `bestellen`; not `bellen`, `geven`, `gelden`: after the prefix comes a syllable of at
/// least four letters that begins as Dutch syllables do.
fn has_prefix(word: &str) -> bool {
    const ONSETS: [&str; 24] = [
        "bl", "br", "dr", "fl", "fr", "gl", "gr", "kl", "kn", "kr", "kw", "pl", "pr", "sch", "sl",
        "sm", "sn", "sp", "st", "str", "tr", "wr", "zw", "spr",
    ];
    ["be", "ge", "ver", "ont", "her", "er"].iter().any(|p| {
        let Some(rest) = word.strip_prefix(p) else {
            return false;
        };
        let b = rest.as_bytes();
        rest.len() >= 4
            && (is_vowel(b[0])
                || is_vowel(b[1])
                || ONSETS.iter().any(|onset| rest.starts_with(onset)))
    })
}

/// The present stems of `word` if it is the infinitive of a verb (`werken` → `werk`,
/// `maken` → `maak`, `leven` → `leef`, `zitten` → `zit`, `tekenen` → `teken`,
/// `verdedigen` → `verdedig`), with whether the past takes `-te` (`'t kofschip`), and
/// whether the study's vocabulary has one of its forms besides the stem itself (`gaten`
/// is no verb for having `gaat`): only those make strict pairs. Not a participle in `ge-`
/// (`gewonnen`, whose `wonnen` is a word).
fn verb_stems(vocab: &Vocab, word: &str) -> Vec<(VerbStem, bool)> {
    verb_candidates(vocab, word)
        .into_iter()
        .map(|stem| {
            let found = verb_evidence(&stem, word, |form| vocab.has(form));
            (stem, found)
        })
        .collect()
}

/// Whether `word` is a verb: the corpus has one of its forms besides the stem
/// (`parkeren`, `parkeert`).
fn is_verb(vocab: &Vocab, word: &str) -> bool {
    verb_candidates(vocab, word)
        .iter()
        .any(|stem| verb_evidence(stem, word, |form| vocab.seen.contains(form)))
}

/// Whether a form of the verb besides its stem and infinitive `exists`.
fn verb_evidence(stem: &VerbStem, infinitive: &str, exists: impl Fn(&str) -> bool) -> bool {
    let mut found = false;
    verb_forms(stem, &mut |form, rule, _| {
        found |= rule != "verb stem" && form != infinitive && exists(form);
    });
    found
}

/// The stems `word` would have as an infinitive, without evidence.
fn verb_candidates(vocab: &Vocab, word: &str) -> Vec<VerbStem> {
    let Some(x) = word.strip_suffix("en") else {
        return Vec::new();
    };
    let xb = x.as_bytes();
    let participle = word
        .strip_prefix("ge")
        .is_some_and(|rest| rest.len() >= 5 && vocab.has(rest));
    if xb.len() < 2 || participle {
        return Vec::new();
    }
    let last = xb[xb.len() - 1];
    if is_vowel(last) || last == b'j' {
        return Vec::new();
    }
    let voiceless = matches!(last, b't' | b'k' | b'f' | b's' | b'p') || x.ends_with("ch");
    let devoice = |s: &str| -> String {
        match s.as_bytes()[s.len() - 1] {
            b'v' => format!("{}f", &s[..s.len() - 1]),
            b'z' => format!("{}s", &s[..s.len() - 1]),
            _ => s.to_string(),
        }
    };
    let mut candidates = Vec::new();
    let (nucleus, coda) = last_syllable(xb);
    if xb.len() >= 3 && xb[xb.len() - 2] == last && coda.len() == 2 {
        candidates.push(x[..x.len() - 1].to_string());
    } else if coda.len() == 1 && is_short_vowel(nucleus) {
        let v = nucleus[0];
        let head = &x[..x.len() - 1];
        if v != b'i' {
            candidates.push(devoice(&format!("{head}{}{}", v as char, last as char)));
        }
        if v == b'i' || (v == b'e' && syllables(xb) >= 2) {
            candidates.push(devoice(x));
        }
    } else {
        candidates.push(devoice(x));
    }
    let prefixed = has_prefix(word);
    candidates
        .into_iter()
        .map(|stem| VerbStem {
            stem,
            voiceless,
            prefixed,
        })
        .collect()
}

struct VerbStem {
    stem: String,
    voiceless: bool,
    prefixed: bool,
}

/// The forms of a weak verb: `werk`, `werkt`, `werkte`, `werkten`, `gewerkt`, `gewerkte`.
fn verb_forms(verb: &VerbStem, add: &mut dyn FnMut(&str, &'static str, bool)) {
    let s = &verb.stem;
    add(s, "verb stem", true);
    if !s.ends_with('t') {
        add(&format!("{s}t"), "verb -t", true);
    }
    let (past, participle_end) = if verb.voiceless {
        ("te", "t")
    } else {
        ("de", "d")
    };
    add(&format!("{s}{past}"), "verb past", true);
    add(&format!("{s}{past}n"), "verb past", true);
    let participle = if s.ends_with(['t', 'd']) {
        s.to_string()
    } else {
        format!("{s}{participle_end}")
    };
    let participle = if verb.prefixed {
        participle
    } else {
        format!("ge{participle}")
    };
    add(&participle, "participle", true);
    add(&format!("{participle}e"), "participle", true);
}

// ---------------------------------------------------------------------------------------
// Families, missed joins, false conflations

/// Words linked by chains of inflection pairs (loose and strict).
struct Families {
    of: Vec<usize>,
}

impl Families {
    fn new(vocab: &Vocab, links: &[Link]) -> Families {
        let mut sets = UnionFind::new(vocab.len());
        for link in links {
            sets.union(link.base, link.form);
        }
        Families {
            of: (0..vocab.len()).map(|i| sets.find(i)).collect(),
        }
    }
}

struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            // The smaller index (the more frequent word) stays the root.
            self.parent[a.max(b)] = a.min(b);
        }
    }
}

struct Missed {
    link: Link,
    weight: u32,
}

/// Strict pairs the stemmer does not join, most frequent first.
fn missed_joins(vocab: &Vocab, links: &[Link], stems: &[String]) -> Vec<Missed> {
    let mut missed: Vec<Missed> = links
        .iter()
        .filter(|link| link.strict && stems[link.base] != stems[link.form])
        .map(|link| Missed {
            link: *link,
            weight: vocab.df[link.base].min(vocab.df[link.form]),
        })
        .collect();
    missed.sort_unstable_by_key(|m| {
        (
            std::cmp::Reverse(m.weight),
            m.link.base.min(m.link.form),
            m.link.base.max(m.link.form),
        )
    });
    missed
}

struct Conflation {
    stem: String,
    first: Vec<usize>,
    second: Vec<usize>,
    weight: u32,
}

/// Within each stem, every pair of families, weighted by the smaller of the two largest
/// article counts; heaviest first.
fn false_conflations(vocab: &Vocab, families: &Families, stems: &[String]) -> Vec<Conflation> {
    let mut by_stem: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (i, stem) in stems.iter().enumerate() {
        by_stem.entry(stem).or_default().push(i);
    }
    let mut found = Vec::new();
    for (stem, words) in by_stem {
        if words.len() < 2 {
            continue;
        }
        // Families in order of their most frequent word (words are sorted by df).
        let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
        for &w in &words {
            match groups.iter_mut().find(|(f, _)| *f == families.of[w]) {
                Some((_, members)) => members.push(w),
                None => groups.push((families.of[w], vec![w])),
            }
        }
        for i in 0..groups.len() {
            for j in i + 1..groups.len() {
                found.push(Conflation {
                    stem: stem.to_string(),
                    first: groups[i].1.clone(),
                    second: groups[j].1.clone(),
                    weight: vocab.df[groups[i].1[0]].min(vocab.df[groups[j].1[0]]),
                });
            }
        }
    }
    found.sort_unstable_by(|a, b| b.weight.cmp(&a.weight).then_with(|| a.stem.cmp(&b.stem)));
    found
}

fn show_words(vocab: &Vocab, words: &[usize]) -> String {
    let mut shown: Vec<String> = words
        .iter()
        .take(5)
        .map(|&w| format!("{} {}", vocab.words[w], vocab.df[w]))
        .collect();
    if words.len() > 5 {
        shown.push(format!("… {} more", words.len() - 5));
    }
    shown.join(", ")
}

// ---------------------------------------------------------------------------------------
// Overrides

/// The stem overrides for Kraaij-Pohlmann, with why (for `--list`): word → (stem, why).
///
/// 1. Words that strict pairs join (among the words of at least [`OVERRIDE_DF`] articles)
///    make a component, which gets one stem: of its words' stems, one that is itself the
///    base of a plural or adjective in the component (`fiets`, not `fiet`; `leeg`, not
///    the `leg` of `lege`), else the one with most articles in the words of the
///    component's families (`organiseer`, of `georganiseerd`, not the `organiseert` the
///    stemmer leaves). Components with the same stem stay together, as the stemmer had
///    them (`verklaring`, `verklaren`).
/// 2. Where a stem is itself a word (`mini`), a component of that stem that no chain of
///    inflection pairs links to the word's and that Porter's stemmer keeps apart from it
///    too (`minister`, `ministers`) gets a stem of its own: its shortest word.
fn overrides(
    vocab: &Vocab,
    links: &[Link],
    families: &Families,
    kp: &[String],
    porter: &[String],
    texts: &[String],
) -> BTreeMap<String, (String, String)> {
    let frequent = |w: usize| vocab.df[w] >= OVERRIDE_DF;
    let mut sets = UnionFind::new(vocab.len());
    for link in links {
        if link.strict && frequent(link.base) && frequent(link.form) {
            sets.union(link.base, link.form);
        }
    }
    let mut components: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for w in (0..vocab.len()).filter(|&w| frequent(w)) {
        components.entry(sets.find(w)).or_default().push(w);
    }
    // Words that are the base of a plural or adjective (`fiets`, `leeg`), not a verb form
    // (`betaald`/`betaalde`).
    let verb_forms: FxHashSet<usize> = links
        .iter()
        .filter(|link| link.strict && matches!(link.rule, "verb -t" | "verb past" | "participle"))
        .map(|link| link.form)
        .collect();
    let lemmas: FxHashSet<usize> = links
        .iter()
        .filter(|link| {
            link.strict && (link.rule.starts_with("plural") || link.rule == "adjective -e")
        })
        .map(|link| link.base)
        .filter(|base| !verb_forms.contains(base))
        .collect();
    let mut by_stem: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for w in (0..vocab.len()).filter(|&w| frequent(w)) {
        by_stem.entry(&kp[w]).or_default().push(w);
    }
    // Twice: the second time, a stem also weighs the words outside the component whose
    // components took that stem the first time (`behandeling` for `behandelen`, keeping
    // the stemmer's `behandel` rather than the participle's `behandeld`).
    let mut keys: BTreeMap<usize, String> = BTreeMap::new();
    for round in 0..2 {
        let mut next = BTreeMap::new();
        for (&root, words) in &components {
            // (a lemma has the stem, articles of the component's words with the stem, and
            // of those outside that took the stem)
            let mut stems: BTreeMap<&str, (bool, u64, u64)> = BTreeMap::new();
            for &w in words {
                stems.entry(&kp[w]).or_default();
            }
            for (stem, entry) in stems.iter_mut() {
                entry.0 = words
                    .iter()
                    .any(|&w| vocab.words[w] == *stem && lemmas.contains(&w));
                for &w in &by_stem[stem] {
                    if sets.find(w) == root {
                        entry.1 += u64::from(vocab.df[w]);
                    } else if round == 1 && keys[&sets.find(w)] == *stem {
                        entry.2 += u64::from(vocab.df[w]);
                    }
                }
            }
            // The words outside weigh only for a lemma's stem or one with a third of the
            // weight of the component's best: `plant` does not go to `plan` for `geplant`.
            let best = stems.values().map(|entry| entry.1).max().unwrap_or(0);
            let (key, _) = stems
                .iter()
                .filter(|(_, entry)| entry.0 || 3 * entry.1 >= best)
                .max_by_key(|(stem, (is_word, own, outside))| {
                    (*is_word, own + outside, std::cmp::Reverse(*stem))
                })
                .unwrap();
            next.insert(root, key.to_string());
        }
        keys = next;
    }
    // Splits.
    let mut by_key: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (&root, key) in &keys {
        by_key.entry(key.clone()).or_default().push(root);
    }
    let mut taken: FxHashSet<String> = kp.iter().cloned().collect();
    taken.extend(keys.values().cloned());
    let mut candidates = Vec::new();
    for (stem, roots) in &by_key {
        if roots.len() < 2 {
            continue;
        }
        // The component that keeps the stem: the one with the word that is the stem,
        // else the one with the most frequent word (components are keyed by it).
        let home = vocab
            .get(stem)
            .filter(|&w| frequent(w))
            .map(|w| sets.find(w))
            .filter(|home| keys[home] == *stem)
            .unwrap_or_else(|| *roots.iter().min().unwrap());
        let home_families: FxHashSet<usize> =
            components[&home].iter().map(|&w| families.of[w]).collect();
        let home_porter: FxHashSet<&str> = components[&home]
            .iter()
            .map(|&w| porter[w].as_str())
            .collect();
        for &root in roots.iter().filter(|&&root| root != home) {
            let words = &components[&root];
            let linked = words
                .iter()
                .any(|&w| home_families.contains(&families.of[w]));
            let joined = words
                .iter()
                .any(|&w| home_porter.contains(porter[w].as_str()));
            if !(linked || joined) {
                candidates.push((home, root));
            }
        }
    }
    let lifts = lifts(
        vocab,
        texts,
        &candidates
            .iter()
            .map(|(home, root)| (components[home].clone(), components[root].clone()))
            .collect::<Vec<_>>(),
    );
    let mut splits = Vec::new();
    for (&(home, root), &(expected, lift)) in candidates.iter().zip(&lifts) {
        {
            let words = &components[&root];
            if lift >= MAX_LIFT || expected < MIN_EXPECTED {
                continue;
            }
            splits.push(format!(
                "{lift:.1}  {} | {}",
                show_words(vocab, &components[&home]),
                show_words(vocab, words)
            ));
            let mut candidates = words.clone();
            candidates.sort_by_key(|&w| (vocab.words[w].len(), std::cmp::Reverse(vocab.df[w])));
            let key = candidates
                .iter()
                .map(|&w| vocab.words[w].clone())
                .find(|word| !taken.contains(word))
                .unwrap_or_else(|| format!("{}_", vocab.words[candidates[0]]));
            taken.insert(key.clone());
            keys.insert(root, key);
        }
    }
    println!();
    println!(
        "splits: {} families of a stem that is itself a word, not linked to its family by \
         inflection nor by Porter's stemmer; split where found together less than {MAX_LIFT} \
         times as often as by chance, and chance would put them together at least \
         {MIN_EXPECTED} times: {} (lift  stem's family | family split off)",
        candidates.len(),
        splits.len()
    );
    for split in &splits {
        println!("  {split}");
    }
    let mut overrides = BTreeMap::new();
    for (root, words) in &components {
        let key = &keys[root];
        for &w in words {
            if kp[w] == *key {
                continue;
            }
            let mut reason = format!("{} → {key}", kp[w]);
            let joins: Vec<&str> = words
                .iter()
                .filter(|&&v| v != w && kp[v] == *key)
                .take(4)
                .map(|&v| vocab.words[v].as_str())
                .collect();
            if !joins.is_empty() {
                let _ = write!(reason, "; with {}", joins.join(" "));
            }
            let apart: Vec<&str> = by_stem
                .get(kp[w].as_str())
                .into_iter()
                .flatten()
                .filter(|&&v| sets.find(v) != *root && keys[&sets.find(v)] == kp[w])
                .take(4)
                .map(|&v| vocab.words[v].as_str())
                .collect();
            if !apart.is_empty() {
                let _ = write!(reason, "; apart from {}", apart.join(" "));
            }
            overrides.insert(vocab.words[w].clone(), (key.clone(), reason));
        }
    }
    overrides
}

/// For each pair of word groups: in how many articles chance alone would put a word of
/// both (first·second / N), and how many more times than that they are (the lift).
fn lifts(vocab: &Vocab, texts: &[String], pairs: &[(Vec<usize>, Vec<usize>)]) -> Vec<(f64, f64)> {
    let mut sides: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (i, (first, second)) in pairs.iter().enumerate() {
        for &w in first {
            sides.entry(&vocab.words[w]).or_default().push(2 * i);
        }
        for &w in second {
            sides.entry(&vocab.words[w]).or_default().push(2 * i + 1);
        }
    }
    let counts = texts
        .par_iter()
        .fold(
            || {
                (
                    analyzer(),
                    vec![0u32; 3 * pairs.len()],
                    FxHashSet::default(),
                )
            },
            |(mut analyzer, mut counts, mut seen), text| {
                seen.clear();
                for word in terms(&mut analyzer, text) {
                    if let Some(found) = sides.get(word.as_str()) {
                        seen.extend(found.iter().copied());
                    }
                }
                for &side in &seen {
                    counts[3 * (side / 2) + side % 2] += 1;
                    if side % 2 == 0 && seen.contains(&(side + 1)) {
                        counts[3 * (side / 2) + 2] += 1;
                    }
                }
                (analyzer, counts, seen)
            },
        )
        .map(|(_, counts, _)| counts)
        .reduce(
            || vec![0u32; 3 * pairs.len()],
            |mut a, b| {
                for (x, y) in a.iter_mut().zip(b) {
                    *x += y;
                }
                a
            },
        );
    (0..pairs.len())
        .map(|i| {
            let (first, second, both) = (counts[3 * i], counts[3 * i + 1], counts[3 * i + 2]);
            let expected = f64::from(first) * f64::from(second) / texts.len() as f64;
            (expected, f64::from(both) / expected.max(f64::MIN_POSITIVE))
        })
        .collect()
}

fn overrides_file(overrides: &BTreeMap<String, (String, String)>) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "# Stem overrides for dateline's Dutch stemmer (Snowball Kraaij-Pohlmann, frostem\n\
         # Algorithm::Dutch): word<TAB>stem, for lower-cased, folded words; src/analysis/stem.rs\n\
         # looks a word up here before it stems it. Generated, not typed: run\n\
         #   cargo run --release --example stemmer_study -- --write\n\
         # with ../shared/corpus beside the repo. Only words in at least {OVERRIDE_DF} of its articles\n\
         # ({MIN_DF} for the inflection families). Forms that strict inflection rules join get one\n\
         # stem (fiets/fietsen, groot/grote, krijgen/krijgt); a family of one stem that inflection\n\
         # does not link to the family of the word that is the stem, that Porter's stemmer keeps\n\
         # apart too, and that shares articles less than {MAX_LIFT} times as often as by chance\n\
         # (chance: at least {MIN_EXPECTED} article) gets a stem of its own (minister, not mini).\n\
         # The rules, and the pairs the review rejected, are in examples/stemmer_study.rs."
    );
    for (word, (stem, _)) in overrides {
        let _ = writeln!(text, "{word}\t{stem}");
    }
    text
}

// ---------------------------------------------------------------------------------------
// The check against UD Dutch Alpino's lemmas

/// For each stemmer: of the pairs of forms that share a lemma, how many it joins; of the
/// pairs it joins, how many share no lemma. And how many strict pairs share a lemma.
fn ud_check(
    corpus: &Path,
    vocab: &Vocab,
    links: &[Link],
    kp: &frostem::Stemmer,
    porter: &frostem::Stemmer,
    overrides: &BTreeMap<String, (String, String)>,
) -> Result<()> {
    let stop = {
        let mut lemmas: FxHashMap<String, FxHashSet<String>> = FxHashMap::default();
        let mut analyzer = analyzer();
        for path in UD {
            let path = corpus.join(path);
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            for line in text.lines() {
                let fields: Vec<&str> = line.split('\t').collect();
                if fields.len() != 10 || !fields[0].bytes().all(|b| b.is_ascii_digit()) {
                    continue;
                }
                let form = terms(&mut analyzer, &drop_inner_apostrophes(fields[1]));
                let lemma = terms(&mut analyzer, &fields[2].replace('_', "")).join("");
                if let [form] = form.as_slice()
                    && form.bytes().all(|b| b.is_ascii_lowercase())
                    && !lemma.is_empty()
                {
                    let entry = lemmas.entry(form.clone()).or_default();
                    entry.insert(lemma);
                    // A separable verb's lemma has its particle (`op_nemen` for `neemt …
                    // op`): its verb is `nemen` too.
                    if let ("VERB" | "AUX", Some((_, verb))) =
                        (fields[3], fields[2].rsplit_once('_'))
                    {
                        entry.insert(terms(&mut analyzer, verb).join(""));
                    }
                }
            }
        }
        let stop = stop_words(lemmas.keys());
        lemmas.retain(|form, _| !stop.contains(form));
        lemmas
    };
    let lemmas = stop;
    let forms: Vec<&String> = {
        let mut forms: Vec<&String> = lemmas.keys().collect();
        forms.sort();
        forms
    };
    let share = |a: &str, b: &str| !lemmas[a].is_disjoint(&lemmas[b]);
    let mut by_lemma: FxHashMap<&str, Vec<&str>> = FxHashMap::default();
    for form in &forms {
        for lemma in &lemmas[*form] {
            by_lemma.entry(lemma).or_default().push(form);
        }
    }
    let mut same_lemma: FxHashSet<(&str, &str)> = FxHashSet::default();
    for group in by_lemma.values() {
        for i in 0..group.len() {
            for j in i + 1..group.len() {
                same_lemma.insert((group[i].min(group[j]), group[i].max(group[j])));
            }
        }
    }
    println!();
    println!(
        "UD Dutch Alpino check: {} word forms (letters only, no stop words), {} pairs of forms that share a lemma",
        forms.len(),
        same_lemma.len()
    );
    println!("| stemmer | lemma pairs joined | pairs joined | of those, sharing no lemma |");
    println!("|---|---|---|---|");
    type Stem<'a> = Box<dyn Fn(&str) -> String + 'a>;
    let stemmers: [(&str, Stem); 3] = [
        ("Kraaij-Pohlmann", Box::new(|w| kp.stem(w).into_owned())),
        ("Porter", Box::new(|w| porter.stem(w).into_owned())),
        (
            "Kraaij-Pohlmann + overrides",
            Box::new(|w| {
                overrides
                    .get(w)
                    .map_or_else(|| kp.stem(w).into_owned(), |o| o.0.clone())
            }),
        ),
    ];
    for (name, stem) in &stemmers {
        let stems: FxHashMap<&str, String> = forms.iter().map(|f| (f.as_str(), stem(f))).collect();
        let joined = same_lemma
            .iter()
            .filter(|(a, b)| stems[a] == stems[b])
            .count();
        let mut by_stem: FxHashMap<&str, Vec<&str>> = FxHashMap::default();
        for form in &forms {
            by_stem.entry(&stems[form.as_str()]).or_default().push(form);
        }
        let (mut conflated, mut wrong) = (0usize, 0usize);
        for group in by_stem.values() {
            for i in 0..group.len() {
                for j in i + 1..group.len() {
                    conflated += 1;
                    wrong += usize::from(!share(group[i], group[j]));
                }
            }
        }
        println!(
            "| {name} | {joined} of {} ({:.1}%) | {conflated} | {wrong} ({:.1}%) |",
            same_lemma.len(),
            100.0 * joined as f64 / same_lemma.len().max(1) as f64,
            100.0 * wrong as f64 / conflated.max(1) as f64
        );
    }
    let (mut checked, mut right) = (0, 0);
    let mut wrong_pairs = Vec::new();
    for link in links.iter().filter(|link| link.strict) {
        let (a, b) = (&vocab.words[link.base], &vocab.words[link.form]);
        if lemmas.contains_key(a) && lemmas.contains_key(b) {
            checked += 1;
            if share(a, b) {
                right += 1;
            } else {
                wrong_pairs.push(format!("{a}/{b}"));
            }
        }
    }
    println!(
        "strict inflection pairs with both forms in UD: {checked}, sharing a lemma: {right} ({:.1}%); the others: {}",
        100.0 * f64::from(right) / f64::from(checked.max(1)),
        wrong_pairs.join(" ")
    );
    Ok(())
}

//! Builds the compound lexicon: the words of real Dutch news, with the number of
//! articles each appears in, counted over `../shared/corpus` (leestmeer's 99,565 feed
//! items and DPG Media's 1,438 articles). The compound splitter (`src/analysis/compound.rs`)
//! splits a word only into parts that are frequent words here.
//!
//! The lexicon is built, not committed: the repository holds only what we wrote. Where
//! the corpus is absent the lexicon is empty and compounds are not split (a cargo warning
//! says so).
//!
//! Words are lower-cased and folded the way the Dutch analyzer folds them; words with
//! digits or letters outside Latin-1 are left out, as are words under 4 letters (never a
//! compound part) and words in fewer than [`MIN_ARTICLES`] articles (too rare to trust).

use std::collections::{HashMap, HashSet};
use std::env;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

const MIN_ARTICLES: u32 = 10;
const MIN_LETTERS: usize = 4;
const MAX_LETTERS: usize = 40;

fn main() {
    let shared = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("../shared");
    // Tests that need the sample page or the corpus are marked
    // `#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]`: without
    // `../shared` they are reported as ignored, not passed.
    println!("cargo::rustc-check-cfg=cfg(has_shared)");
    println!("cargo::rerun-if-changed={}", shared.display());
    if shared.join("seed-page.txt").is_file() && shared.join("corpus").is_dir() {
        println!("cargo::rustc-cfg=has_shared");
    } else {
        println!(
            "cargo::warning=no shared data at {}: the tests that need it are ignored",
            shared.display()
        );
    }
    let corpus = shared.join("corpus");
    let sources = [
        (
            corpus.join("leestmeer/leestmeer-2012-2019-07.jsonl.gz"),
            "body_html",
        ),
        (
            corpus.join("dpgmedia-partisan-news2019/dpgMedia2019-articles-byarticle-all.jsonl"),
            "text",
        ),
    ];
    println!("cargo::rerun-if-changed=build.rs");
    let mut counts: HashMap<String, u32> = HashMap::new();
    for (path, body_key) in &sources {
        println!("cargo::rerun-if-changed={}", path.display());
        match count_articles(path, body_key, &mut counts) {
            Ok(()) => {}
            Err(error) => println!(
                "cargo::warning=no compound lexicon from {}: {error}; compounds will not be split",
                path.display()
            ),
        }
    }
    let mut words: Vec<(String, u32)> = counts
        .into_iter()
        .filter(|(_, articles)| *articles >= MIN_ARTICLES)
        .collect();
    words.sort_unstable();
    // An FST map, embedded as it is: no start-up cost, and a walk along a word finds all
    // the lexicon's words that begin it.
    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("lexicon.fst");
    let file = std::io::BufWriter::new(File::create(out).unwrap());
    let mut map = fst::MapBuilder::new(file).unwrap();
    for (word, articles) in words {
        map.insert(word, u64::from(articles)).unwrap();
    }
    map.finish().unwrap();
}

/// Adds one to the count of every word of every article (each word once per article).
fn count_articles(
    path: &Path,
    body_key: &str,
    counts: &mut HashMap<String, u32>,
) -> std::io::Result<()> {
    let file = File::open(path)?;
    let reader: Box<dyn BufRead> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(BufReader::new(flate2::read::GzDecoder::new(file)))
    } else {
        Box::new(BufReader::new(file))
    };
    let mut seen = HashSet::new();
    for line in reader.lines() {
        let line = line?;
        let Ok(item) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        seen.clear();
        for key in ["title", body_key] {
            if let Some(text) = item.get(key).and_then(|v| v.as_str()) {
                words_of(text, &mut seen);
            }
        }
        for word in seen.drain() {
            *counts.entry(word).or_default() += 1;
        }
    }
    Ok(())
}

/// The folded words of a text; markup (`<…>`) and entities (`&…;`) separate words.
fn words_of(text: &str, words: &mut HashSet<String>) {
    let mut word = String::new();
    let mut valid = true;
    let mut in_tag = false;
    let mut in_entity = false;
    let mut flush = |word: &mut String, valid: &mut bool| {
        if *valid && (MIN_LETTERS..=MAX_LETTERS).contains(&word.len()) {
            words.insert(std::mem::take(word));
        }
        word.clear();
        *valid = true;
    };
    for c in text.chars() {
        if in_tag {
            in_tag = c != '>';
            continue;
        }
        if in_entity && (c.is_alphanumeric() || c == '#') {
            continue;
        }
        in_entity = false;
        if c.is_alphanumeric() {
            match fold(c) {
                Some(letter) => word.push(letter),
                None => valid = false,
            }
        } else {
            in_tag = c == '<';
            in_entity = c == '&';
            flush(&mut word, &mut valid);
        }
    }
    flush(&mut word, &mut valid);
}

/// A letter lower-cased and folded to ASCII, or `None` for digits and other scripts.
fn fold(c: char) -> Option<char> {
    let lower = c.to_lowercase().next()?;
    Some(match lower {
        'a'..='z' => lower,
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        _ => return None,
    })
}

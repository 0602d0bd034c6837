//! Language detection with whatlang, reported as ISO 639-1 codes.

use whatlang::Lang;

/// How much text we give whatlang: its trigram counts settle long before a whole article,
/// and detection was half of extraction's time with 1,000 characters (perf, leestmeer).
const SAMPLE_CHARS: usize = 400;

/// The languages a folder of Dutch news pages holds in practice. Scoring only these
/// (rather than whatlang's 69) makes detection several times cheaper; a page in another
/// language gets the nearest of these.
const LANGUAGES: &[Lang] = &[
    Lang::Nld,
    Lang::Eng,
    Lang::Deu,
    Lang::Fra,
    Lang::Spa,
    Lang::Ita,
    Lang::Por,
    Lang::Pol,
    Lang::Tur,
    Lang::Dan,
    Lang::Swe,
    Lang::Nob,
    Lang::Rus,
    Lang::Ukr,
    Lang::Ara,
    Lang::Cmn,
    Lang::Jpn,
    Lang::Ell,
];

/// The language of an article as an ISO 639-1 code (`nl`, `en`, …).
///
/// Dutch news sites are the input, so Dutch is the answer when whatlang is unsure or the
/// text is too short to tell: a two-line wire item misfiled as Afrikaans would vanish
/// from a `--lang nl` search.
pub fn detect_language(title: &str, body: &str) -> String {
    if plainly_dutch(title, body) {
        return "nl".to_string();
    }
    let mut sample = String::with_capacity(SAMPLE_CHARS + title.len());
    sample.push_str(title);
    sample.push('\n');
    sample.extend(body.chars().take(SAMPLE_CHARS));
    static DETECTOR: std::sync::OnceLock<whatlang::Detector> = std::sync::OnceLock::new();
    let detector = DETECTOR.get_or_init(|| whatlang::Detector::with_allowlist(LANGUAGES.to_vec()));
    // Afrikaans, Dutch's nearest neighbour, is left out: on Dutch sites whatlang's "af"
    // was Dutch (67 of the leestmeer corpus's items).
    match detector.detect(&sample) {
        Some(info) if info.is_reliable() => iso_639_1(info.lang()).to_string(),
        Some(info) if info.lang() == Lang::Eng && info.confidence() > 0.5 => "en".to_string(),
        _ => "nl".to_string(),
    }
}

/// Words that are common in any Dutch text and are not words of the other languages
/// whatlang scores here (`de`, `en`, `in`, `is`, `die` are, so they are not among them).
/// Sorted.
const DUTCH_WORDS: [&str; 26] = [
    "aan", "bij", "dat", "deze", "door", "een", "geen", "hebben", "heeft", "het", "hij", "hun",
    "maar", "meer", "naar", "niet", "nog", "ook", "uit", "van", "voor", "wel", "werd", "worden",
    "wordt", "zijn",
];
/// How many words of a text [`plainly_dutch`] looks at.
const SAMPLE_WORDS: usize = 80;
/// How many of them must be [`DUTCH_WORDS`]: four such words in a short wire item of
/// thirty are as telling as eight in eighty.
const MIN_DUTCH_WORDS: usize = 4;

/// Whether a text is Dutch beyond doubt: at least 4 of its first 80 words, and one in
/// eight, are [`DUTCH_WORDS`]. Most news articles are, and this costs a fraction of
/// whatlang's trigram scoring, which was a quarter of indexing time on pages of many
/// wire items (perf, generated pages); whatlang decides the rest.
fn plainly_dutch(title: &str, body: &str) -> bool {
    let words = title
        .split(|c: char| !c.is_alphabetic())
        .chain(body.split(|c: char| !c.is_alphabetic()))
        .filter(|word| !word.is_empty())
        .take(SAMPLE_WORDS);
    let (mut all, mut dutch) = (0, 0);
    for word in words {
        all += 1;
        if word.len() <= 6
            && DUTCH_WORDS
                .binary_search(&word.to_lowercase().as_str())
                .is_ok()
        {
            dutch += 1;
        }
    }
    dutch >= MIN_DUTCH_WORDS && dutch * 8 >= all
}

/// whatlang names languages in ISO 639-3; DESIGN.md's article model wants 639-1.
fn iso_639_1(lang: Lang) -> &'static str {
    match lang {
        Lang::Epo => "eo",
        Lang::Eng => "en",
        Lang::Rus => "ru",
        Lang::Cmn => "zh",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Ben => "bn",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Ukr => "uk",
        Lang::Kat => "ka",
        Lang::Ara => "ar",
        Lang::Hin => "hi",
        Lang::Jpn => "ja",
        Lang::Heb => "he",
        Lang::Yid => "yi",
        Lang::Pol => "pl",
        Lang::Amh => "am",
        Lang::Jav => "jv",
        Lang::Kor => "ko",
        Lang::Nob => "nb",
        Lang::Dan => "da",
        Lang::Swe => "sv",
        Lang::Fin => "fi",
        Lang::Tur => "tr",
        Lang::Nld => "nl",
        Lang::Hun => "hu",
        Lang::Ces => "cs",
        Lang::Ell => "el",
        Lang::Bul => "bg",
        Lang::Bel => "be",
        Lang::Mar => "mr",
        Lang::Kan => "kn",
        Lang::Ron => "ro",
        Lang::Slv => "sl",
        Lang::Hrv => "hr",
        Lang::Srp => "sr",
        Lang::Mkd => "mk",
        Lang::Lit => "lt",
        Lang::Lav => "lv",
        Lang::Est => "et",
        Lang::Tam => "ta",
        Lang::Vie => "vi",
        Lang::Urd => "ur",
        Lang::Tha => "th",
        Lang::Guj => "gu",
        Lang::Uzb => "uz",
        Lang::Pan => "pa",
        Lang::Aze => "az",
        Lang::Ind => "id",
        Lang::Tel => "te",
        Lang::Pes => "fa",
        Lang::Mal => "ml",
        Lang::Ori => "or",
        Lang::Mya => "my",
        Lang::Nep => "ne",
        Lang::Sin => "si",
        Lang::Khm => "km",
        Lang::Tuk => "tk",
        Lang::Aka => "ak",
        Lang::Zul => "zu",
        Lang::Sna => "sn",
        Lang::Afr => "af",
        Lang::Lat => "la",
        Lang::Slk => "sk",
        Lang::Cat => "ca",
        Lang::Tgl => "tl",
        Lang::Hye => "hy",
        Lang::Cym => "cy",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_and_english() {
        assert_eq!(
            detect_language(
                "Kabinet wil meer geld voor defensie",
                "Het kabinet wil volgend jaar fors meer geld uittrekken voor de krijgsmacht. Dat heeft de minister dinsdag gezegd na afloop van de ministerraad."
            ),
            "nl"
        );
        assert_eq!(
            detect_language(
                "Bank of England holds rates",
                "The Bank of England kept interest rates unchanged on Thursday, saying that inflation was still too high for the central bank to start cutting borrowing costs."
            ),
            "en"
        );
    }

    #[test]
    fn dutch_words_are_sorted_for_binary_search() {
        assert!(DUTCH_WORDS.is_sorted());
    }

    /// The shortcut says Dutch only where whatlang would: over the leestmeer sample
    /// (1,992 items; skipped without `../shared`), no item the shortcut takes as Dutch
    /// gets another language from whatlang alone.
    #[test]
    fn the_dutch_shortcut_agrees_with_whatlang() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/corpus/leestmeer/leestmeer-sample-every50th.jsonl");
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("skipped: no corpus at {}", path.display());
            return;
        };
        let detector = whatlang::Detector::with_allowlist(LANGUAGES.to_vec());
        let (mut shortcut, mut disagree) = (0, Vec::new());
        for line in text.lines() {
            let item: serde_json::Value = serde_json::from_str(line).unwrap();
            let title = item["title"].as_str().unwrap_or_default();
            let html = item["body_html"].as_str().unwrap_or_default();
            let body: String = html
                .split('<')
                .map(|part| part.split_once('>').map_or(part, |(_, text)| text))
                .collect::<Vec<_>>()
                .join(" ");
            if plainly_dutch(title, &body) {
                shortcut += 1;
                let sample: String = body.chars().take(SAMPLE_CHARS).collect();
                if let Some(info) = detector.detect(&format!("{title}\n{sample}"))
                    && info.is_reliable()
                    && info.lang() != Lang::Nld
                {
                    disagree.push(title.to_string());
                }
            }
        }
        // 1,618 of the 1,992 at four Dutch words (1,184 when it took eight).
        assert!(shortcut > 1500, "the shortcut took only {shortcut} items");
        assert!(disagree.is_empty(), "{disagree:?}");
    }

    #[test]
    fn too_little_text_is_taken_as_dutch() {
        assert_eq!(detect_language("", ""), "nl");
        assert_eq!(detect_language("Ja", ""), "nl");
    }
}

//! Datelines: `KOMSOMOLSK AAN DE AMOER (ANP/RTR) - De Noord-Koreaanse leider ...`.
//!
//! Rules from DESIGN.md ("Text pages"): the city is one or more upper-case words (letters
//! with diacritics, spaces, hyphens, apostrophes, dots); the agencies are upper-case
//! letters/digits separated by `/`; the dash is `-`, `–` or `—`; a local story may carry
//! no agency (`DOMBURG - `); some upper-case openers are not cities (`LIVE - `).

/// What a dateline says: where the story was filed and by which agencies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dateline {
    /// The city in display form (`Komsomolsk aan de Amoer`).
    pub city: String,
    /// The agencies in the order the dateline names them, e.g. `["ANP", "RTR"]`.
    pub agencies: Vec<String>,
}

/// Upper-case openers that look like a city but are labels.
const NOT_CITIES: &[&str] = &[
    "LIVE",
    "UPDATE",
    "VIDEO",
    "FOTO",
    "FOTO'S",
    "BREAKING",
    "EXCLUSIEF",
    "INTERVIEW",
    "ANALYSE",
    "COLUMN",
    "OPINIE",
    "RECENSIE",
    "REACTIE",
    "PODCAST",
    "POLL",
    "LET OP",
    "NIEUW",
    "CORRECTIE",
    "HERHALING",
    "BREAKING NEWS",
    "EILMELDUNG",
    "UITSLAG",
    "UITSLAGEN",
];

/// Dutch particles that stay lower-case inside a city name (DESIGN.md, "City display form").
const PARTICLES: &[&str] = &[
    "aan", "de", "den", "der", "het", "van", "op", "in", "bij", "te", "ter", "ten",
];

/// The longest city we accept; real ones are far shorter, prose is longer.
const MAX_CITY_CHARS: usize = 48;
const MAX_CITY_WORDS: usize = 6;

/// Parses a dateline at the start of a paragraph; returns it with the text after the dash.
pub fn parse_dateline(paragraph: &str) -> Option<(Dateline, &str)> {
    let (prefix, rest) = split_at_dash(paragraph)?;
    let prefix = prefix.trim_end();
    let (city, agencies) = match prefix.strip_suffix(')') {
        Some(open) => {
            let paren = open.rfind('(')?;
            (
                open[..paren].trim_end(),
                parse_agencies(&open[paren + 1..])?,
            )
        }
        None => (prefix, Vec::new()),
    };
    if !is_city(city) {
        return None;
    }
    let dateline = Dateline {
        city: display_city(city),
        agencies,
    };
    Some((dateline, rest.trim_start()))
}

/// Finds the dateline's dash: `-`, `–` or `—` with white space (or `)`) before it and
/// white space after it. A hyphen inside a name (`'S-HERTOGENBOSCH`) has neither.
fn split_at_dash(paragraph: &str) -> Option<(&str, &str)> {
    let mut previous = None;
    for (at, c) in paragraph.char_indices() {
        if at > MAX_CITY_CHARS + 40 {
            return None;
        }
        if matches!(c, '-' | '–' | '—')
            && matches!(previous, Some(p) if p == ')' || char::is_whitespace(p))
        {
            let rest = &paragraph[at + c.len_utf8()..];
            if rest.starts_with(char::is_whitespace) {
                return Some((&paragraph[..at], rest));
            }
        }
        previous = Some(c);
    }
    None
}

fn parse_agencies(inside: &str) -> Option<Vec<String>> {
    let agencies: Vec<String> = inside.split('/').map(|a| a.trim().to_string()).collect();
    let valid = agencies.iter().all(|a| {
        // One letter is an initial or a label (`(W)`), not an agency; `AP` is the shortest.
        a.len() >= 2
            && a.chars().any(|c| c.is_ascii_uppercase())
            && a.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    });
    valid.then_some(agencies)
}

fn is_city(city: &str) -> bool {
    let letters = city.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2
        && city.chars().count() <= MAX_CITY_CHARS
        && city.split_whitespace().count() <= MAX_CITY_WORDS
        && city.starts_with(|c: char| c.is_uppercase() || c == '\'' || c == '’')
        && city
            .chars()
            .all(|c| c.is_uppercase() || matches!(c, ' ' | '\'' | '’' | '.' | '-'))
        && !NOT_CITIES.contains(&city)
}

/// The display form of an upper-case dateline city: `KOMSOMOLSK AAN DE AMOER` →
/// `Komsomolsk aan de Amoer`, `'S-HERTOGENBOSCH` → `'s-Hertogenbosch`, `ST. PETERSBURG` →
/// `St. Petersburg`.
pub fn display_city(city: &str) -> String {
    let words: Vec<String> = city
        .split_whitespace()
        .enumerate()
        .map(|(position, word)| display_word(&word.to_lowercase(), position == 0))
        .collect();
    words.join(" ")
}

/// Capitalises each hyphen-separated part of a lower-case word; particles after the
/// city's first part stay lower-case (`Kapelle-op-den-Bos`), and `'s-` stays as it is.
fn display_word(lower: &str, first_word: bool) -> String {
    let rest = lower
        .strip_prefix("'s-")
        .or_else(|| lower.strip_prefix("’s-"))
        .unwrap_or(lower);
    let prefix = &lower[..lower.len() - rest.len()];
    let parts: Vec<String> = rest
        .split('-')
        .enumerate()
        .map(|(position, part)| {
            let leads = first_word && position == 0;
            if !leads && PARTICLES.contains(&part) {
                part.to_string()
            } else {
                capitalise_first(part)
            }
        })
        .collect();
    format!("{prefix}{}", parts.join("-"))
}

fn capitalise_first(part: &str) -> String {
    // The Dutch digraph IJ is capitalised whole: `IJmuiden`, `IJsselstein`.
    if let Some(rest) = part.strip_prefix("ij") {
        return format!("IJ{rest}");
    }
    // An apostrophe may lead (`'T`): capitalise the first letter.
    let mut out = String::with_capacity(part.len());
    let mut done = false;
    for c in part.chars() {
        if !done && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            done = true;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(paragraph: &str) -> Option<(String, Vec<String>, String)> {
        parse_dateline(paragraph).map(|(d, rest)| (d.city, d.agencies, rest.to_string()))
    }

    fn expect(paragraph: &str, city: &str, agencies: &[&str], rest: &str) {
        let agencies = agencies.iter().map(|a| a.to_string()).collect();
        assert_eq!(
            parsed(paragraph),
            Some((city.to_string(), agencies, rest.to_string())),
            "{paragraph}"
        );
    }

    #[test]
    fn multi_word_city_and_two_agencies() {
        expect(
            "KOMSOMOLSK AAN DE AMOER (ANP/RTR) - De Noord-Koreaanse leider",
            "Komsomolsk aan de Amoer",
            &["ANP", "RTR"],
            "De Noord-Koreaanse leider",
        );
    }

    #[test]
    fn three_agencies_and_digits() {
        expect(
            "MOSKOU (ANP/DPA/RTR) - Moskou sluit uit",
            "Moskou",
            &["ANP", "DPA", "RTR"],
            "Moskou sluit uit",
        );
        expect(
            "LONDEN (ANP/RTR/BLOOMBERG) - De Britse",
            "Londen",
            &["ANP", "RTR", "BLOOMBERG"],
            "De Britse",
        );
        expect("WASHINGTON (AFN) - Het", "Washington", &["AFN"], "Het");
    }

    #[test]
    fn en_and_em_dashes() {
        expect(
            "DEN HAAG (ANP) – Het kabinet",
            "Den Haag",
            &["ANP"],
            "Het kabinet",
        );
        expect("NEW YORK (AP) — Beurzen", "New York", &["AP"], "Beurzen");
    }

    #[test]
    fn hyphens_apostrophes_and_dots_in_cities() {
        expect(
            "'S-HERTOGENBOSCH (ANP) - Een man",
            "'s-Hertogenbosch",
            &["ANP"],
            "Een man",
        );
        expect(
            "ST. PETERSBURG (AFP) - In de stad",
            "St. Petersburg",
            &["AFP"],
            "In de stad",
        );
        expect("DEN BOSCH - De gemeente", "Den Bosch", &[], "De gemeente");
    }

    #[test]
    fn diacritics_in_cities() {
        expect(
            "SÃO PAULO (RTR) - Brazilië",
            "São Paulo",
            &["RTR"],
            "Brazilië",
        );
        expect("KÖLN (DPA) - Die", "Köln", &["DPA"], "Die");
    }

    #[test]
    fn local_dateline_without_agency() {
        expect(
            "DOMBURG - De reddingsbrigade",
            "Domburg",
            &[],
            "De reddingsbrigade",
        );
    }

    #[test]
    fn not_datelines() {
        assert_eq!(parsed("LIVE - Volg hier het debat"), None);
        assert_eq!(parsed("UPDATE - Het kabinet"), None);
        assert_eq!(parsed("De Noord-Koreaanse leider - een man"), None);
        assert_eq!(parsed("Kim Jong-un bezoekt ruimtevaartfabriek"), None);
        assert_eq!(parsed("MOSKOU (anp) - tekst"), None);
        assert_eq!(parsed("MOSKOU() - tekst"), None);
        assert_eq!(parsed("HELMOND (W) - tekst"), None);
        assert_eq!(parsed("A - b"), None);
        assert_eq!(parsed("MOSKOU-tekst"), None);
        assert_eq!(parsed(""), None);
    }

    #[test]
    fn display_form_of_cities() {
        assert_eq!(display_city("RIO DE JANEIRO"), "Rio de Janeiro");
        assert_eq!(display_city("DEN HAAG"), "Den Haag");
        assert_eq!(display_city("BERGEN OP ZOOM"), "Bergen op Zoom");
        assert_eq!(display_city("ALPHEN AAN DEN RIJN"), "Alphen aan den Rijn");
        assert_eq!(display_city("WIJK BIJ DUURSTEDE"), "Wijk bij Duurstede");
        assert_eq!(display_city("KAPELLE-OP-DEN-BOS"), "Kapelle-op-den-Bos");
        assert_eq!(display_city("ÎLE-DE-FRANCE"), "Île-de-France");
        assert_eq!(display_city("'S-GRAVENHAGE"), "'s-Gravenhage");
        assert_eq!(display_city("IJMUIDEN"), "IJmuiden");
    }
}

//! Page furniture: the lines around an article that are not its text. A time line
//! (`Wed, 15 May 2019 06:08:13 GMT • www.telegraaf.nl`, `Gepubliceerd: 15 mei 2019
//! 08:08`), a byline (`Door Jan de Vries`), a reading time (`3 minuten leestijd`), share
//! and print buttons, a photo credit (`Foto: ANP`), a `Lees ook: …` line, a link to the
//! source (`lees hele bericht`) or its bare domain. None of them leads or ends up in a
//! body; a time line's time may become the page time.

use time::OffsetDateTime;

/// What a furniture line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Furniture {
    /// A time line, with the time where it could be read.
    Time(Option<OffsetDateTime>),
    /// Anything else that is not article text.
    Other,
}

/// Words that open a time line.
const TIME_PREFIXES: &[&str] = &[
    "gepubliceerd op",
    "gepubliceerd:",
    "gepubliceerd",
    "geplaatst op",
    "geplaatst:",
    "laatst bijgewerkt:",
    "laatst bijgewerkt",
    "laatste update:",
    "bijgewerkt op",
    "bijgewerkt:",
    "update:",
    "published:",
    "updated:",
];

/// Characters that separate the parts of a meta line (`time • source | author`).
const SEPARATORS: &[char] = &['•', '·', '|', '–', '—'];

/// Lines of share and print buttons are made of these words only.
const BUTTON_WORDS: &[&str] = &[
    "deel",
    "delen",
    "dit",
    "artikel",
    "print",
    "printen",
    "afdrukken",
    "facebook",
    "twitter",
    "x",
    "linkedin",
    "whatsapp",
    "mail",
    "e-mail",
    "tweet",
    "kopieer",
    "link",
    "op",
    "via",
    "reageer",
    "reacties",
    "bewaar",
    "opslaan",
];

/// Lines that point away from the article (`Lees ook: …`, `Lees hele bericht`).
const POINTERS: &[&str] = &[
    "lees ook",
    "lees meer",
    "lees verder",
    "lees hele bericht",
    "lees het hele artikel",
    "lees het volledige artikel",
    "bekijk ook",
    "ook interessant",
    "meer over dit onderwerp",
    "gerelateerd",
    "read more",
];

/// Whether `line` is furniture, and what kind.
pub fn furniture(line: &str) -> Option<Furniture> {
    let line = line.trim();
    if line.is_empty() || line.chars().count() > 160 {
        return None;
    }
    let lower = line.to_lowercase();
    if line.contains(|c: char| c.is_ascii_digit())
        && let Some(time) = time_line(line, &lower)
    {
        return Some(Furniture::Time(Some(time)));
    }
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || SEPARATORS.contains(&c) || c == ':')
        .filter(|w| !w.is_empty())
        .collect();
    let ends_sentence = line.ends_with(['.', '!', '?']) && !ends_with_initial(line);
    let other = || Some(Furniture::Other);
    // `• www.telegraaf.nl`, `| Door Jan`: what is left of a meta line after its time.
    if line.starts_with(SEPARATORS) && words.len() <= 8 && !ends_sentence {
        return other();
    }
    if is_domain(&lower) {
        return other();
    }
    // `Door Jan de Vries`, `Tekst en foto: Jan de Vries`.
    let byline = [
        "door ",
        "door: ",
        "tekst: ",
        "tekst en foto: ",
        "redactie: ",
    ]
    .iter()
    .any(|p| lower.starts_with(p));
    if byline && words.len() <= 7 && !ends_sentence && capitalised_after_first(line) {
        return other();
    }
    if lower.contains("leestijd") && words.len() <= 6 {
        return other();
    }
    let credit = [
        "foto:",
        "foto's:",
        "beeld:",
        "afbeelding:",
        "video:",
        "©",
        "(c) ",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
        || lower.starts_with("foto ") && words.len() <= 4;
    if credit && words.len() <= 10 && !ends_sentence {
        return other();
    }
    if !words.is_empty() && words.iter().all(|w| BUTTON_WORDS.contains(w)) {
        return other();
    }
    if POINTERS.iter().any(|p| {
        lower.strip_prefix(p).is_some_and(|rest| {
            rest.is_empty()
                || rest.starts_with(':')
                || rest.starts_with(" >")
                || rest.starts_with(" »")
        })
    }) {
        return other();
    }
    None
}

/// A line that is a time and little else: `Wed, 15 May 2019 06:08:13 GMT • nos.nl`,
/// `Gepubliceerd: 15 mei 2019 08:08`.
fn time_line(line: &str, lower: &str) -> Option<OffsetDateTime> {
    let mut rest = line;
    for prefix in TIME_PREFIXES {
        if lower.starts_with(prefix) && line.is_char_boundary(prefix.len()) {
            rest = line[prefix.len()..].trim_start();
            break;
        }
    }
    // What follows a separator is the source or the author.
    let time_part = rest.split(SEPARATORS).next().unwrap_or(rest).trim();
    // No time is written in more (most lines are paragraphs: this keeps them cheap).
    if time_part.len() > 60 {
        return None;
    }
    // A date line (`maandag 3 november 2025`) states the page's day: the layout reads it.
    if crate::clock::parse_dutch_date(time_part).is_some() {
        return None;
    }
    crate::clock::parse_visible_time(time_part)
}

fn is_domain(lower: &str) -> bool {
    let host = lower
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/');
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
}

/// `Door Jan de Vries`: a name, so a capital somewhere after the first word.
fn capitalised_after_first(line: &str) -> bool {
    line.split_whitespace()
        .skip(1)
        .any(|w| w.starts_with(char::is_uppercase))
}

/// `… J.` ends with an initial, not a sentence.
fn ends_with_initial(line: &str) -> bool {
    let last = line.split_whitespace().last().unwrap_or("");
    last.len() == 2 && last.starts_with(char::is_uppercase) && last.ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn time_lines_and_their_times() {
        assert_eq!(
            furniture("Wed, 15 May 2019 06:08:13 GMT"),
            Some(Furniture::Time(Some(datetime!(2019-05-15 06:08:13 UTC))))
        );
        assert_eq!(
            furniture("Tue, 30 Jul 2019 11:42:06 +0200 • www.telegraaf.nl"),
            Some(Furniture::Time(Some(datetime!(2019-07-30 09:42:06 UTC))))
        );
        assert_eq!(
            furniture("Gepubliceerd: 15 mei 2019 08:08"),
            Some(Furniture::Time(Some(datetime!(2019-05-15 06:08 UTC))))
        );
        assert_eq!(
            furniture("Bijgewerkt op woensdag 15 mei 2019 om 08:08 uur"),
            Some(Furniture::Time(Some(datetime!(2019-05-15 06:08 UTC))))
        );
    }

    #[test]
    fn other_furniture() {
        for line in [
            "• www.telegraaf.nl",
            "| Door Jan de Vries",
            "nos.nl",
            "www.ad.nl",
            "Door Jan de Vries",
            "Door: Redactie Binnenland",
            "3 minuten leestijd",
            "Leestijd: 4 minuten",
            "Foto: ANP",
            "Beeld: AFP / Getty Images",
            "© ANP 2019",
            "Deel dit artikel",
            "Facebook Twitter WhatsApp Mail",
            "Print",
            "Lees ook: Kabinet valt over stikstof",
            "Lees hele bericht",
            "lees hele bericht",
            "Lees meer",
        ] {
            assert_eq!(furniture(line), Some(Furniture::Other), "{line}");
        }
    }

    #[test]
    fn article_text_is_not_furniture() {
        for line in [
            "Door de storm vielen in het hele land bomen om.",
            "Door de regen",
            "DEN HAAG (ANP) - Het kabinet valt.",
            "Foto's van de ramp gingen de hele wereld over en zorgden voor ophef.",
            "Lees ook wat de minister erover zei in de Kamer, want dat is interessant.",
            "Spanningen",
            "LIVE - Lees alle reacties na de wedstrijd terug.",
            "75 jaar geleden",
            "De stad deelt het artikel niet.",
            "",
        ] {
            assert_eq!(furniture(line), None, "{line}");
        }
    }
}

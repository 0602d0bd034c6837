//! Ages of wire items: `7 minuten geleden`, `1 uur geleden`, `gisteren`.
//!
//! DESIGN.md: an age belongs to the item above it; it stands on its own line or is glued
//! to the next item with no space (`7 minuten geledenJUBA (ANP/AFP) - …`).

/// Ages of a year or more outside a "Meer uit" list are sub-headings (`75 jaar geleden`),
/// not the age of an item.
pub const LIST_ONLY_AGE_SECONDS: i64 = 365 * DAY;

/// How long before the page time an item was published, as the page wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Age {
    /// The age as the page wrote it, e.g. `7 minuten geleden`.
    pub text: String,
    /// The age in seconds; `None` when it is too large to mean anything (`999999999 jaar`).
    pub seconds: Option<i64>,
}

const MINUTE: i64 = 60;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// Units longest first, so that `minuten` is not read as `minuut` plus garbage.
const UNITS: &[(&str, i64)] = &[
    ("seconden", 1),
    ("seconde", 1),
    ("minuten", MINUTE),
    ("minuut", MINUTE),
    ("uren", HOUR),
    ("uur", HOUR),
    ("dagen", DAY),
    ("dag", DAY),
    ("weken", 7 * DAY),
    ("week", 7 * DAY),
    ("maanden", 30 * DAY),
    ("maand", 30 * DAY),
    ("jaren", 365 * DAY),
    ("jaar", 365 * DAY),
];

/// Ages beyond this are not believed (a century); the item keeps its age text, not a time.
const MAX_AGE_SECONDS: i64 = 100 * 365 * DAY;

/// Splits an age off the start of a line: returns the age and what follows it (empty, or
/// the next item glued on). A line that merely starts with words like these (`3 uur
/// geleden werd ...`, with a space) is prose, not an age.
pub fn split_leading_age(line: &str) -> Option<(Age, &str)> {
    let (text_len, seconds) = leading_age(line)?;
    let rest = &line[text_len..];
    // Glued to the next item's dateline or headline, or alone; `75 jaar geleden: Dit
    // deden de Duitsers` is a headline, `3 uur geleden werd` prose.
    let glued = rest
        .chars()
        .next()
        .is_none_or(|c| c.is_alphanumeric() || matches!(c, '\'' | '’' | '"' | '“'));
    if !glued {
        return None;
    }
    let age = Age {
        text: line[..text_len].to_string(),
        seconds,
    };
    Some((age, rest))
}

/// Splits an age off the end of a paragraph, where HTML pages put it when the age sits in
/// an inline element after the item's text (`… te houden.7 minuten geleden`). Only after
/// the end of a sentence, so that prose such as `dat gebeurde gisteren` stays prose.
pub fn split_trailing_age(line: &str) -> Option<(&str, Age)> {
    const LONGEST_AGE: usize = 40;
    let earliest = line.len().saturating_sub(LONGEST_AGE);
    let (start, seconds) = line
        .char_indices()
        .filter(|(at, _)| *at >= earliest)
        .find_map(|(at, _)| match leading_age(&line[at..]) {
            Some((len, seconds)) if at + len == line.len() => Some((at, seconds)),
            _ => None,
        })?;
    let before = line[..start].trim_end();
    let after_sentence = before
        .chars()
        .last()
        .is_some_and(|c| matches!(c, '.' | '!' | '?' | '"' | '”' | '\'' | '’' | ')'));
    if !after_sentence {
        return None;
    }
    let age = Age {
        text: line[start..].to_string(),
        seconds,
    };
    Some((before, age))
}

fn leading_age(line: &str) -> Option<(usize, Option<i64>)> {
    if line.starts_with("gisteren") {
        return Some(("gisteren".len(), Some(DAY)));
    }
    let (count, after_count) = leading_count(line)?;
    let after_space = after_count.strip_prefix(' ')?;
    let (unit, unit_seconds) = UNITS
        .iter()
        .find(|(unit, _)| after_space.starts_with(unit))?;
    let after_unit = after_space[unit.len()..].strip_prefix(' ')?;
    let after_geleden = after_unit.strip_prefix("geleden")?;
    let seconds = count
        .checked_mul(*unit_seconds)
        .filter(|s| *s <= MAX_AGE_SECONDS);
    Some((line.len() - after_geleden.len(), seconds))
}

/// A count in digits, or the word `een`/`één` (`een uur geleden`).
fn leading_count(line: &str) -> Option<(i64, &str)> {
    for word in ["een", "één"] {
        if let Some(rest) = line.strip_prefix(word) {
            return Some((1, rest));
        }
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    // More digits than an i64 holds still make an age, just not a usable one.
    let count = line[..digits].parse().unwrap_or(i64::MAX);
    Some((count, &line[digits..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str) -> Option<(String, Option<i64>, &str)> {
        split_leading_age(line).map(|(age, rest)| (age.text, age.seconds, rest))
    }

    #[test]
    fn ages_on_their_own_line() {
        assert_eq!(
            split("7 minuten geleden"),
            Some(("7 minuten geleden".into(), Some(420), ""))
        );
        assert_eq!(
            split("1 minuut geleden"),
            Some(("1 minuut geleden".into(), Some(60), ""))
        );
        assert_eq!(
            split("1 uur geleden"),
            Some(("1 uur geleden".into(), Some(3600), ""))
        );
        assert_eq!(
            split("2 dagen geleden"),
            Some(("2 dagen geleden".into(), Some(172_800), ""))
        );
        assert_eq!(
            split("1 dag geleden"),
            Some(("1 dag geleden".into(), Some(86_400), ""))
        );
        assert_eq!(
            split("3 weken geleden").map(|a| a.1),
            Some(Some(3 * 7 * 86_400))
        );
        assert_eq!(split("1 week geleden").map(|a| a.1), Some(Some(7 * 86_400)));
        assert_eq!(
            split("2 maanden geleden").map(|a| a.1),
            Some(Some(60 * 86_400))
        );
        assert_eq!(
            split("1 maand geleden").map(|a| a.1),
            Some(Some(30 * 86_400))
        );
        assert_eq!(
            split("1 jaar geleden").map(|a| a.1),
            Some(Some(365 * 86_400))
        );
        assert_eq!(
            split("gisteren"),
            Some(("gisteren".into(), Some(86_400), ""))
        );
        assert_eq!(split("een uur geleden").map(|a| a.1), Some(Some(3600)));
    }

    #[test]
    fn ages_glued_to_the_next_item() {
        assert_eq!(
            split("7 minuten geledenJUBA (ANP/AFP) - De VN"),
            Some((
                "7 minuten geleden".into(),
                Some(420),
                "JUBA (ANP/AFP) - De VN"
            ))
        );
        assert_eq!(
            split("gisterenMOSKOU (ANP) - x"),
            Some(("gisteren".into(), Some(86_400), "MOSKOU (ANP) - x"))
        );
    }

    #[test]
    fn prose_is_not_an_age() {
        assert_eq!(split("3 uur geleden werd de man opgepakt"), None);
        assert_eq!(split("Gisteren werd bekend dat"), None);
        assert_eq!(split("7 minuten"), None);
        assert_eq!(split("500.000 mensen"), None);
        assert_eq!(split("7 minutengeleden"), None);
        assert_eq!(split("75 jaar geleden: Dit deden de Duitsers"), None);
        assert_eq!(split(""), None);
    }

    #[test]
    fn ages_trailing_a_sentence() {
        let (before, age) =
            split_trailing_age("buiten de deur te houden.7 minuten geleden").unwrap();
        assert_eq!(
            (before, age.text.as_str()),
            ("buiten de deur te houden.", "7 minuten geleden")
        );
        let (before, age) = split_trailing_age("Een zin. 17 minuten geleden").unwrap();
        assert_eq!((before, age.seconds), ("Een zin.", Some(1020)));
        assert_eq!(split_trailing_age("dat gebeurde gisteren"), None);
        assert_eq!(split_trailing_age("7 minuten geleden"), None);
    }

    #[test]
    fn absurd_ages_keep_their_text_but_no_time() {
        assert_eq!(
            split("999999 dagen geleden"),
            Some(("999999 dagen geleden".into(), None, ""))
        );
        assert_eq!(
            split("99999999999999999999999 jaar geleden").map(|a| a.1),
            Some(None)
        );
    }
}

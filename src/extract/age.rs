//! Ages of wire items, as sites print them after an item: `7 minuten geleden`,
//! `1 uur geleden`, `gisteren`, `eergisteren`, `vandaag 14:35`, `14:35`, `za 12:03`,
//! `12 jan`, `12 januari 2024`.
//!
//! DESIGN.md: an age belongs to the item above it; it stands on its own line or is glued
//! to the next item with no space (`7 minuten geledenJUBA (ANP/AFP) - …`). Whether a line
//! that reads as an age is one, or a sub-heading (`75 jaar geleden`), the layout decides
//! from where it stands (`layout.rs`).

use time::{Date, Duration, Month, OffsetDateTime, Time, Weekday};

/// When an item was published, as the page wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Age {
    /// The age as the page wrote it, e.g. `7 minuten geleden`.
    pub text: String,
    /// What it says.
    pub when: When,
}

/// What an age says, to be read against the page time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// This many seconds before the page time (`7 minuten geleden`, `gisteren`); `None`
    /// when too large to mean anything (`999999999 jaar`).
    Ago(Option<i64>),
    /// A clock time on the page's day or a day before it (`14:35`, `gisteren 14:35`).
    Clock {
        /// Days before the page's day.
        days_back: u8,
        /// Amsterdam wall-clock time.
        time: Time,
    },
    /// A clock time on the last such weekday up to the page's day (`za 12:03`).
    Weekday {
        /// The weekday.
        weekday: Weekday,
        /// Amsterdam wall-clock time.
        time: Time,
    },
    /// A day, with or without its year and a clock time (`12 jan`, `12 januari 2024`).
    Day {
        /// Day of the month.
        day: u8,
        /// The month.
        month: Month,
        /// The year; without it, the last such day up to the page's day.
        year: Option<i32>,
        /// Amsterdam wall-clock time; without it, noon (never more than twelve hours off).
        time: Option<Time>,
    },
}

impl Age {
    /// The age in seconds where the page wrote one (`N … geleden`, `gisteren`).
    pub fn seconds(&self) -> Option<i64> {
        match self.when {
            When::Ago(seconds) => seconds,
            _ => None,
        }
    }

    /// How far off the time it gives may be, in seconds: a rounded age is as uncertain as
    /// it is large (`5 uur geleden`); a clock time is right to the minute; a day without a
    /// time to half a day. `None` for an age that makes no sense.
    pub fn uncertainty(&self) -> Option<i64> {
        match self.when {
            When::Ago(seconds) => seconds,
            When::Clock { .. } | When::Weekday { .. } | When::Day { time: Some(_), .. } => {
                Some(MINUTE)
            }
            When::Day { time: None, .. } => Some(12 * HOUR),
        }
    }

    /// Whether the age gives a time without the page's: a day with its year.
    pub fn is_absolute(&self) -> bool {
        matches!(self.when, When::Day { year: Some(_), .. })
    }

    /// The time the age gives, read against the page time (`None` where it needs one and
    /// there is none, or it makes no sense).
    pub fn resolve(&self, page_time: Option<OffsetDateTime>) -> Option<OffsetDateTime> {
        let local_day = |t: OffsetDateTime| t.to_offset(crate::clock::amsterdam_offset(t)).date();
        match self.when {
            When::Ago(seconds) => page_time?.checked_sub(Duration::seconds(seconds?)),
            When::Clock { days_back, time } => {
                let page = page_time?;
                let day = local_day(page).checked_sub(Duration::days(i64::from(days_back)))?;
                let at = crate::clock::from_amsterdam(day, time);
                // `14:35` on a page saved at 10:00 is yesterday's.
                if days_back == 0 && at > page + Duration::minutes(5) {
                    Some(crate::clock::from_amsterdam(day.previous_day()?, time))
                } else {
                    Some(at)
                }
            }
            When::Weekday { weekday, time } => {
                let page = page_time?;
                let mut day = local_day(page);
                while day.weekday() != weekday {
                    day = day.previous_day()?;
                }
                let at = crate::clock::from_amsterdam(day, time);
                if at > page + Duration::minutes(5) {
                    let week_before = day.checked_sub(Duration::days(7))?;
                    Some(crate::clock::from_amsterdam(week_before, time))
                } else {
                    Some(at)
                }
            }
            When::Day {
                day,
                month,
                year,
                time,
            } => {
                let time = time.unwrap_or(NOON);
                let year = match year {
                    Some(year) => year,
                    None => {
                        let page_day = local_day(page_time?);
                        let this_year = Date::from_calendar_date(page_day.year(), month, day).ok();
                        match this_year {
                            Some(date) if date <= page_day => page_day.year(),
                            _ => page_day.year() - 1,
                        }
                    }
                };
                let date = Date::from_calendar_date(year, month, day).ok()?;
                Some(crate::clock::from_amsterdam(date, time))
            }
        }
    }
}

const NOON: Time = time::macros::time!(12:00);

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

/// Days before today, as sites write them; longest first.
const DAYS_BACK: &[(&str, u8)] = &[
    ("eergisteren", 2),
    ("Eergisteren", 2),
    ("gisteren", 1),
    ("Gisteren", 1),
    ("vandaag", 0),
    ("Vandaag", 0),
];

/// Weekdays as sites write them, full names before abbreviations.
const WEEKDAYS: &[(&str, Weekday)] = &[
    ("maandag", Weekday::Monday),
    ("dinsdag", Weekday::Tuesday),
    ("woensdag", Weekday::Wednesday),
    ("donderdag", Weekday::Thursday),
    ("vrijdag", Weekday::Friday),
    ("zaterdag", Weekday::Saturday),
    ("zondag", Weekday::Sunday),
    ("ma", Weekday::Monday),
    ("di", Weekday::Tuesday),
    ("wo", Weekday::Wednesday),
    ("do", Weekday::Thursday),
    ("vr", Weekday::Friday),
    ("za", Weekday::Saturday),
    ("zo", Weekday::Sunday),
];

/// Months as sites write them, full names before abbreviations.
const MONTHS: &[(&str, Month)] = &[
    ("januari", Month::January),
    ("februari", Month::February),
    ("maart", Month::March),
    ("april", Month::April),
    ("mei", Month::May),
    ("juni", Month::June),
    ("juli", Month::July),
    ("augustus", Month::August),
    ("september", Month::September),
    ("oktober", Month::October),
    ("november", Month::November),
    ("december", Month::December),
    ("jan", Month::January),
    ("feb", Month::February),
    ("mrt", Month::March),
    ("mar", Month::March),
    ("apr", Month::April),
    ("jun", Month::June),
    ("jul", Month::July),
    ("aug", Month::August),
    ("sept", Month::September),
    ("sep", Month::September),
    ("okt", Month::October),
    ("nov", Month::November),
    ("dec", Month::December),
];

/// Splits an age off the start of a line: returns the age and what follows it (empty, or
/// the next item glued on). A line that merely starts with words like these (`3 uur
/// geleden werd ...`, with a space) is prose, not an age.
pub fn split_leading_age(line: &str) -> Option<(Age, &str)> {
    let (text_len, when) = leading_age(line)?;
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
        when,
    };
    Some((age, rest))
}

/// Splits an age off the end of a paragraph, where HTML pages put it when the age sits in
/// an inline element after the item's text (`… te houden.7 minuten geleden`). Only after
/// the end of a sentence, so that prose such as `dat gebeurde gisteren` stays prose.
pub fn split_trailing_age(line: &str) -> Option<(&str, Age)> {
    const LONGEST_AGE: usize = 40;
    let earliest = line.len().saturating_sub(LONGEST_AGE);
    let (start, when) = line
        .char_indices()
        .filter(|(at, _)| *at >= earliest)
        .find_map(|(at, _)| match leading_age(&line[at..]) {
            Some((len, when)) if at + len == line.len() => Some((at, when)),
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
        when,
    };
    Some((before, age))
}

/// Reads an age at the start of `line`: its length and what it says.
fn leading_age(line: &str) -> Option<(usize, When)> {
    for &(word, days_back) in DAYS_BACK {
        if let Some(rest) = line.strip_prefix(word) {
            // `gisteren 14:35`: a day and a clock time.
            if let Some((time, after)) = rest.strip_prefix(' ').and_then(leading_clock) {
                let when = When::Clock { days_back, time };
                return Some((line.len() - after.len(), when));
            }
            let when = When::Ago(Some(i64::from(days_back) * DAY));
            return Some((line.len() - rest.len(), when));
        }
    }
    if let Some((time, after)) = leading_clock(line) {
        let when = When::Clock { days_back: 0, time };
        return Some((line.len() - after.len(), when));
    }
    if let Some(found) = leading_weekday_clock(line) {
        return Some(found);
    }
    if let Some(found) = leading_day(line) {
        return Some(found);
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
    Some((line.len() - after_geleden.len(), When::Ago(seconds)))
}

/// `14:35` (also `14.35`, `14:35 uur`): the time and what follows.
fn leading_clock(text: &str) -> Option<(Time, &str)> {
    let bytes = text.as_bytes();
    let hour_digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if !(1..=2).contains(&hour_digits) {
        return None;
    }
    let separator = *bytes.get(hour_digits)?;
    if separator != b':' && separator != b'.' {
        return None;
    }
    let minutes = bytes.get(hour_digits + 1..hour_digits + 3)?;
    if !minutes.iter().all(u8::is_ascii_digit)
        || bytes.get(hour_digits + 3).is_some_and(u8::is_ascii_digit)
    {
        return None;
    }
    let hour: u8 = text[..hour_digits].parse().ok()?;
    let minute: u8 = text[hour_digits + 1..hour_digits + 3].parse().ok()?;
    let time = Time::from_hms(hour, minute, 0).ok()?;
    let rest = &text[hour_digits + 3..];
    let rest = rest.strip_prefix(" uur").unwrap_or(rest);
    Some((time, rest))
}

/// `za 12:03`, `zaterdag 12:03`, `za. 12:03`.
fn leading_weekday_clock(line: &str) -> Option<(usize, When)> {
    let lower = line.get(..line.len().min(12))?.to_lowercase();
    let &(name, weekday) = WEEKDAYS.iter().find(|(name, _)| lower.starts_with(name))?;
    let rest = &line[name.len()..];
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    let (time, after) = leading_clock(rest.strip_prefix(' ')?)?;
    Some((line.len() - after.len(), When::Weekday { weekday, time }))
}

/// `12 jan`, `12 januari`, `12 jan. 2024`, `12 januari 2024`, `12 jan 14:35`.
fn leading_day(line: &str) -> Option<(usize, When)> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&digits) {
        return None;
    }
    let day: u8 = line[..digits].parse().ok()?;
    let after_day = line[digits..].strip_prefix(' ')?;
    let lower = after_day.get(..after_day.len().min(10))?.to_lowercase();
    let &(name, month) = MONTHS.iter().find(|(name, _)| {
        lower.starts_with(name) && !lower[name.len()..].starts_with(|c: char| c.is_alphabetic())
    })?;
    let mut rest = &after_day[name.len()..];
    rest = rest.strip_prefix('.').unwrap_or(rest);
    let mut year = None;
    if let Some(after_space) = rest.strip_prefix(' ') {
        let year_digits = after_space.bytes().take_while(u8::is_ascii_digit).count();
        if year_digits == 4 && !after_space[4..].starts_with(':') {
            year = after_space[..4].parse().ok();
            rest = &after_space[4..];
        }
    }
    let mut time = None;
    if let Some((clock, after)) = rest
        .strip_prefix(", ")
        .or_else(|| rest.strip_prefix(' '))
        .and_then(leading_clock)
    {
        time = Some(clock);
        rest = after;
    }
    Date::from_calendar_date(year.unwrap_or(2000), month, day).ok()?;
    let when = When::Day {
        day,
        month,
        year,
        time,
    };
    Some((line.len() - rest.len(), when))
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
        split_leading_age(line).map(|(age, rest)| (age.text.clone(), age.seconds(), rest))
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
        assert_eq!(split("14:35 De premier zegt"), None);
        assert_eq!(split("12 januari is de deadline"), None);
        assert_eq!(split("123:45"), None);
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
        assert_eq!((before, age.seconds()), ("Een zin.", Some(1020)));
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

    #[test]
    fn days_clock_times_and_dates_as_sites_write_them() {
        use time::macros::datetime;
        // Saturday 13 January 2024, 15:00 in Amsterdam.
        let page = Some(datetime!(2024-01-13 14:00 UTC));
        let at = |text: &str| {
            let (age, rest) = split_leading_age(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(rest, "", "{text}");
            age.resolve(page)
        };
        assert_eq!(at("eergisteren"), Some(datetime!(2024-01-11 14:00 UTC)));
        assert_eq!(at("gisteren"), Some(datetime!(2024-01-12 14:00 UTC)));
        assert_eq!(at("vandaag 14:35"), Some(datetime!(2024-01-13 13:35 UTC)));
        assert_eq!(at("14:35"), Some(datetime!(2024-01-13 13:35 UTC)));
        assert_eq!(at("14.35 uur"), Some(datetime!(2024-01-13 13:35 UTC)));
        // Later than the page was saved: yesterday's.
        assert_eq!(at("18:00"), Some(datetime!(2024-01-12 17:00 UTC)));
        assert_eq!(at("gisteren 09:10"), Some(datetime!(2024-01-12 08:10 UTC)));
        assert_eq!(at("za 12:03"), Some(datetime!(2024-01-13 11:03 UTC)));
        assert_eq!(at("vr 12:03"), Some(datetime!(2024-01-12 11:03 UTC)));
        assert_eq!(at("zondag 10:00"), Some(datetime!(2024-01-07 09:00 UTC)));
        assert_eq!(at("12 jan"), Some(datetime!(2024-01-12 11:00 UTC)));
        assert_eq!(at("20 dec"), Some(datetime!(2023-12-20 11:00 UTC)));
        assert_eq!(at("12 januari 2024"), Some(datetime!(2024-01-12 11:00 UTC)));
        assert_eq!(
            at("3 jul. 2019 08:15"),
            Some(datetime!(2019-07-03 06:15 UTC))
        );
        assert_eq!(
            at("3 juli 2019, 08:15"),
            Some(datetime!(2019-07-03 06:15 UTC))
        );
        // A day with its year needs no page time.
        let (absolute, _) = split_leading_age("12 januari 2024").unwrap();
        assert!(absolute.is_absolute());
        assert_eq!(
            absolute.resolve(None),
            Some(datetime!(2024-01-12 11:00 UTC))
        );
        assert_eq!(split_leading_age("31 februari").map(|a| a.0), None);
        // Glued to the next item.
        let (age, rest) = split_leading_age("14:35ROTTERDAM (ANP) - x").unwrap();
        assert_eq!((age.text.as_str(), rest), ("14:35", "ROTTERDAM (ANP) - x"));
    }
}

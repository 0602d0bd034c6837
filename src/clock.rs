//! Time as pages state it: Dutch date lines, the Amsterdam clock, RFC 3339 for output.
//!
//! Dutch news sites print dates in Dutch and in Dutch local time, so turning a page's
//! date line into UTC needs the Europe/Amsterdam offset. The EU rule (CEST from the last
//! Sunday of March to the last Sunday of October, switching at 01:00 UTC) has held since
//! 1996 and is all we need; a time-zone database would be a large dependency for one zone.

use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

const DUTCH_MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

const DUTCH_WEEKDAYS: [&str; 7] = [
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];

/// Formats a time as RFC 3339 in UTC with whole seconds, e.g. `2026-01-25T12:00:00Z`.
pub fn rfc3339(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// A time from a unix timestamp in seconds, `None` when out of the representable range.
pub fn from_unix(seconds: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(seconds).ok()
}

/// The Europe/Amsterdam offset at the given instant (CET or CEST).
pub fn amsterdam_offset(t: OffsetDateTime) -> UtcOffset {
    let t = t.to_offset(UtcOffset::UTC);
    let year = t.year();
    let summer_starts = last_sunday_at_one_utc(year, Month::March);
    let summer_ends = last_sunday_at_one_utc(year, Month::October);
    let hours = match (summer_starts, summer_ends) {
        (Some(start), Some(end)) if t >= start && t < end => 2,
        _ => 1,
    };
    // Whole hours within ±25 h are always a valid offset.
    UtcOffset::from_hms(hours, 0, 0).unwrap_or(UtcOffset::UTC)
}

fn last_sunday_at_one_utc(year: i32, month: Month) -> Option<OffsetDateTime> {
    let last_day = Date::from_calendar_date(year, month, month.length(year)).ok()?;
    let back = last_day.weekday().number_days_from_sunday() as i64;
    let sunday = last_day.checked_sub(Duration::days(back))?;
    Some(PrimitiveDateTime::new(sunday, Time::from_hms(1, 0, 0).ok()?).assume_utc())
}

/// The instant of a local Amsterdam wall-clock time.
pub fn from_amsterdam(date: Date, time: Time) -> OffsetDateTime {
    let naive = PrimitiveDateTime::new(date, time);
    // Guess with the winter offset, then correct with the offset in force at that instant.
    let guess = naive.assume_offset(UtcOffset::from_hms(1, 0, 0).unwrap_or(UtcOffset::UTC));
    naive.assume_offset(amsterdam_offset(guess))
}

/// Reads a Dutch date line such as `maandag 3 november 2025` (the weekday is optional).
///
/// Returns `None` for anything else, including a line with more words after the date.
pub fn parse_dutch_date(line: &str) -> Option<Date> {
    // `donderdag 30 september 2025`, with room to spare: longer lines are paragraphs.
    if line.len() > 48 {
        return None;
    }
    let lower = line.trim().to_lowercase();
    let mut words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() == 4 && DUTCH_WEEKDAYS.contains(&words[0]) {
        words.remove(0);
    }
    let [day, month, year] = words[..] else {
        return None;
    };
    let day: u8 = day.parse().ok()?;
    let month = DUTCH_MONTHS.iter().position(|m| *m == month)?;
    let month = Month::try_from(month as u8 + 1).ok()?;
    let year: i32 = year.parse().ok()?;
    if !(1900..=9999).contains(&year) {
        return None;
    }
    Date::from_calendar_date(year, month, day).ok()
}

/// Reads a time as a page shows it to its readers: RFC 2822 (`Wed, 15 May 2019 06:08:13
/// GMT`, what RSS carries), RFC 3339, a Dutch date with or without a weekday and a clock
/// time (`woensdag 15 mei 2019 om 08:08 uur`, `15 mei 2019, 08:08`), or a numeric one
/// (`15-05-2019 08:08`). Dutch times are Amsterdam times; a day alone means noon.
/// The whole text must be the time.
pub fn parse_visible_time(text: &str) -> Option<OffsetDateTime> {
    use time::format_description::well_known::{Rfc2822, Rfc3339};
    let text = text.trim().trim_end_matches(['.', ',']);
    if text.is_empty() || text.len() > 60 {
        return None;
    }
    if let Ok(t) =
        OffsetDateTime::parse(text, &Rfc2822).or_else(|_| OffsetDateTime::parse(text, &Rfc3339))
    {
        return Some(t.to_offset(UtcOffset::UTC));
    }
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty() && *w != "om" && *w != "uur")
        .collect();
    let (date, rest) = match words.as_slice() {
        [weekday, day, month, year, rest @ ..] if DUTCH_WEEKDAYS.contains(weekday) => {
            (dutch_date(day, month, year)?, rest)
        }
        [day, month, year, rest @ ..] if !day.contains(['-', '/']) => {
            (dutch_date(day, month, year)?, rest)
        }
        [numeric, rest @ ..] => (numeric_date(numeric)?, rest),
        _ => return None,
    };
    let clock = match rest {
        [] => Time::MIDNIGHT + Duration::hours(12),
        [clock] => {
            let (hour, minute) = clock.split_once([':', '.'])?;
            let minute = minute.get(..2)?;
            Time::from_hms(hour.parse().ok()?, minute.parse().ok()?, 0).ok()?
        }
        _ => return None,
    };
    Some(from_amsterdam(date, clock))
}

/// `15 mei 2019`, `15 mei. 2019` (a month's name or its usual abbreviation).
fn dutch_date(day: &str, month: &str, year: &str) -> Option<Date> {
    let day: u8 = day.trim_end_matches('.').parse().ok()?;
    let month = month.trim_end_matches('.');
    let number = DUTCH_MONTHS
        .iter()
        .position(|m| *m == month || (month.len() >= 3 && m.starts_with(month)))
        .or_else(|| (month == "mrt").then_some(2))?;
    let year: i32 = year.parse().ok()?;
    if !(1900..=9999).contains(&year) {
        return None;
    }
    Date::from_calendar_date(year, Month::try_from(number as u8 + 1).ok()?, day).ok()
}

/// `15-05-2019`, `15/05/2019`, `15-05-19`.
fn numeric_date(text: &str) -> Option<Date> {
    let parts: Vec<&str> = text.split(['-', '/']).collect();
    let [day, month, year] = parts[..] else {
        return None;
    };
    let year: i32 = match year.len() {
        4 => year.parse().ok()?,
        2 => 2000 + year.parse::<i32>().ok()?,
        _ => return None,
    };
    Date::from_calendar_date(
        year,
        Month::try_from(month.parse::<u8>().ok()?).ok()?,
        day.parse().ok()?,
    )
    .ok()
}

/// A stretch of time a user names on the command line, from `start` up to (not
/// including) `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: OffsetDateTime,
    pub end: OffsetDateTime,
}

/// Reads a time as people write it on the command line: a year (`2019`), a month
/// (`2019-05`) or a day (`2019-05-14`), each in Amsterdam time; an instant (RFC 3339,
/// `2019-05-14T12:00:00Z`); or a time that long before `now` (`90m`, `24h`, `7d`, `2w`,
/// `3y` is not offered: months and years vary). An instant is a span of one second.
pub fn parse_user_span(text: &str, now: OffsetDateTime) -> Option<Span> {
    let text = text.trim();
    let instant = |t: OffsetDateTime| Span {
        start: t,
        end: t + Duration::seconds(1),
    };
    if let Ok(t) = OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339) {
        return Some(instant(t.to_offset(UtcOffset::UTC)));
    }
    if let Some(ago) = parse_duration(text) {
        return Some(instant(now.checked_sub(ago)?.replace_nanosecond(0).ok()?));
    }
    let days = |first: Date, last: Date| {
        Some(Span {
            start: amsterdam_midnight(first),
            end: amsterdam_midnight(last.next_day()?),
        })
    };
    let parts: Vec<&str> = text.split('-').collect();
    let number = |part: &str| -> Option<u32> {
        (!part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse().ok())
            .flatten()
    };
    match parts[..] {
        [year] if year.len() == 4 => {
            let year = number(year)? as i32;
            days(
                Date::from_calendar_date(year, Month::January, 1).ok()?,
                Date::from_calendar_date(year, Month::December, 31).ok()?,
            )
        }
        [year, month] if year.len() == 4 => {
            let year = number(year)? as i32;
            let month = Month::try_from(u8::try_from(number(month)?).ok()?).ok()?;
            days(
                Date::from_calendar_date(year, month, 1).ok()?,
                Date::from_calendar_date(year, month, month.length(year)).ok()?,
            )
        }
        [_, _, _] => {
            let day = parse_day(text)?;
            days(day, day)
        }
        _ => None,
    }
}

/// `90m`, `24h`, `7d`, `2w`.
fn parse_duration(text: &str) -> Option<Duration> {
    let unit = text.chars().last()?;
    let count: i64 = text[..text.len() - unit.len_utf8()].parse().ok()?;
    if count < 0 {
        return None;
    }
    let seconds = match unit {
        'm' => 60,
        'h' => 3_600,
        'd' => 86_400,
        'w' => 7 * 86_400,
        _ => return None,
    };
    Some(Duration::seconds(count.checked_mul(seconds)?))
}

/// The first instant of an Amsterdam day.
pub fn amsterdam_midnight(date: Date) -> OffsetDateTime {
    from_amsterdam(date, Time::MIDNIGHT)
}

/// The Amsterdam day an instant falls on.
pub fn amsterdam_date(t: OffsetDateTime) -> Date {
    t.to_offset(amsterdam_offset(t)).date()
}

/// A time as people in the Netherlands read it: `2026-01-25 13:00 CET`.
pub fn display_amsterdam(t: OffsetDateTime) -> String {
    let offset = amsterdam_offset(t);
    let local = t.to_offset(offset);
    let zone = if offset.whole_hours() == 2 {
        "CEST"
    } else {
        "CET"
    };
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} {zone}",
        local.year(),
        u8::from(local.month()),
        local.day(),
        local.hour(),
        local.minute()
    )
}

/// Reads `YYYY-MM-DD`.
pub fn parse_day(text: &str) -> Option<Date> {
    let mut parts = text.splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime, time};

    #[test]
    fn formats_rfc3339_in_utc() {
        assert_eq!(
            rfc3339(datetime!(2026-01-25 13:00 +1)),
            "2026-01-25T12:00:00Z"
        );
    }

    #[test]
    fn reads_dutch_date_lines() {
        assert_eq!(
            parse_dutch_date("maandag 3 november 2025"),
            Some(date!(2025 - 11 - 03))
        );
        assert_eq!(
            parse_dutch_date("20 januari 2026"),
            Some(date!(2026 - 01 - 20))
        );
        assert_eq!(
            parse_dutch_date("Dinsdag 20 Januari 2026"),
            Some(date!(2026 - 01 - 20))
        );
        assert_eq!(parse_dutch_date("maandag 31 februari 2025"), None);
        assert_eq!(parse_dutch_date("maandag 3 november 2025 om 12:00"), None);
        assert_eq!(parse_dutch_date("Politiek"), None);
    }

    #[test]
    fn amsterdam_switches_at_one_utc_on_last_sundays() {
        // 2026: summer time from 29 March to 25 October.
        assert_eq!(
            amsterdam_offset(datetime!(2026-03-29 00:59 UTC)).whole_hours(),
            1
        );
        assert_eq!(
            amsterdam_offset(datetime!(2026-03-29 01:00 UTC)).whole_hours(),
            2
        );
        assert_eq!(
            amsterdam_offset(datetime!(2026-10-25 00:59 UTC)).whole_hours(),
            2
        );
        assert_eq!(
            amsterdam_offset(datetime!(2026-10-25 01:00 UTC)).whole_hours(),
            1
        );
        assert_eq!(
            from_amsterdam(date!(2026 - 07 - 01), time!(12:00)),
            datetime!(2026-07-01 10:00 UTC)
        );
    }

    #[test]
    fn reads_times_as_pages_show_them() {
        assert_eq!(
            parse_visible_time("Wed, 15 May 2019 06:08:13 GMT"),
            Some(datetime!(2019-05-15 06:08:13 UTC))
        );
        assert_eq!(
            parse_visible_time("15 mei 2019, 08:08"),
            Some(datetime!(2019-05-15 06:08 UTC))
        );
        assert_eq!(
            parse_visible_time("15 jan. 2020 08:08"),
            Some(datetime!(2020-01-15 07:08 UTC))
        );
        assert_eq!(
            parse_visible_time("15-05-2019 08:08"),
            Some(datetime!(2019-05-15 06:08 UTC))
        );
        assert_eq!(
            parse_visible_time("15 mei 2019"),
            Some(datetime!(2019-05-15 10:00 UTC))
        );
        assert_eq!(parse_visible_time("15 mei"), None);
        assert_eq!(parse_visible_time("Politiek"), None);
        assert_eq!(parse_visible_time("15 mannen 2019"), None);
    }

    #[test]
    fn reads_spans_as_people_write_them() {
        let now = datetime!(2026-03-30 10:00:30.5 UTC);
        let span = |text: &str| parse_user_span(text, now).map(|s| (s.start, s.end));
        // Amsterdam days: the winter day starts at 23:00 UTC, the summer day at 22:00.
        assert_eq!(
            span("2026-01-25"),
            Some((
                datetime!(2026-01-24 23:00 UTC),
                datetime!(2026-01-25 23:00 UTC)
            ))
        );
        assert_eq!(
            span("2019-05"),
            Some((
                datetime!(2019-04-30 22:00 UTC),
                datetime!(2019-05-31 22:00 UTC)
            ))
        );
        assert_eq!(
            span("2019"),
            Some((
                datetime!(2018-12-31 23:00 UTC),
                datetime!(2019-12-31 23:00 UTC)
            ))
        );
        // The day the clocks go forward (29 March 2026) is 23 hours long.
        let dst = parse_user_span("2026-03-29", now).unwrap();
        assert_eq!(dst.end - dst.start, Duration::hours(23));
        assert_eq!(
            span("2026-01-25T13:30:00+01:00"),
            Some((
                datetime!(2026-01-25 12:30 UTC),
                datetime!(2026-01-25 12:30:01 UTC)
            ))
        );
        assert_eq!(
            span("7d").map(|s| s.0),
            Some(datetime!(2026-03-23 10:00:30 UTC))
        );
        assert_eq!(
            span("24h").map(|s| s.0),
            Some(datetime!(2026-03-29 10:00:30 UTC))
        );
        assert_eq!(
            span("2w").map(|s| s.0),
            Some(datetime!(2026-03-16 10:00:30 UTC))
        );
        for wrong in ["gisteren", "2026-13-01", "2026-13", "7x", "-7d", "", "26-1"] {
            assert_eq!(span(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn displays_amsterdam_time() {
        assert_eq!(
            display_amsterdam(datetime!(2026-01-25 12:00 UTC)),
            "2026-01-25 13:00 CET"
        );
        assert_eq!(
            display_amsterdam(datetime!(2019-05-14 22:30 UTC)),
            "2019-05-15 00:30 CEST"
        );
    }
}

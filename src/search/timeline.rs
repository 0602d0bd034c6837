//! Matches per period, in Amsterdam time (`dateline timeline`): when a story broke, and
//! who carried it.
//!
//! One pass over the matches counts them per Amsterdam day (and per value of the split
//! facet); the days are then rolled up into the periods asked for, or into periods
//! chosen by the length of the range. Memory grows with the days, not the matches.

use super::{Request, build_query, unrunnable};
use crate::clock;
use crate::index::schema::{self, Fields};
use anyhow::Result;
use std::collections::{BTreeMap, HashMap};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};
use time::{Date, Duration, Month};

/// How long a bucket is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    /// Monday to Sunday.
    Week,
    Month,
    Year,
}

impl Period {
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Year => "year",
        }
    }

    /// The period for a range of this many days: about a hundred bars at most.
    pub fn for_days(days: i64) -> Period {
        if days <= 92 {
            Period::Day
        } else if days <= 731 {
            Period::Week
        } else if days <= 3_653 {
            Period::Month
        } else {
            Period::Year
        }
    }

    /// The first day of the period `day` is in.
    pub fn start(self, day: Date) -> Date {
        match self {
            Period::Day => day,
            Period::Week => {
                day - Duration::days(i64::from(day.weekday().number_days_from_monday()))
            }
            Period::Month => day.replace_day(1).unwrap_or(day),
            Period::Year => Date::from_calendar_date(day.year(), Month::January, 1).unwrap_or(day),
        }
    }

    /// The first day of the next period.
    fn next(self, start: Date) -> Option<Date> {
        match self {
            Period::Day => start.next_day(),
            Period::Week => start.checked_add(Duration::days(7)),
            Period::Month => {
                let (year, month) = match start.month() {
                    Month::December => (start.year() + 1, Month::January),
                    month => (start.year(), month.next()),
                };
                Date::from_calendar_date(year, month, 1).ok()
            }
            Period::Year => Date::from_calendar_date(start.year() + 1, Month::January, 1).ok(),
        }
    }
}

/// Which facet a timeline splits its counts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    Agency,
    City,
    Section,
    Outlet,
}

impl Split {
    pub fn as_str(self) -> &'static str {
        match self {
            Split::Agency => "agency",
            Split::City => "city",
            Split::Section => "section",
            Split::Outlet => "outlet",
        }
    }

    /// The facet field split by.
    pub fn field(self) -> &'static str {
        match self {
            Split::Agency => schema::AGENCY,
            Split::City => schema::CITY,
            Split::Section => schema::SECTION,
            Split::Outlet => schema::OUTLET,
        }
    }
}

/// Split values listed per timeline; the rest are counted together as [`OTHER`].
pub const SPLIT_VALUES: usize = 10;
/// The name of the split values past the first [`SPLIT_VALUES`].
pub const OTHER: &str = "(other)";

/// Matches per period.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// The query as given.
    pub query: String,
    /// The corrected query the counts answer, as search would answer it.
    pub corrected: Option<String>,
    pub by: Period,
    pub split: Option<Split>,
    /// All matches: the buckets' counts plus `undated`.
    pub total: u64,
    /// Matches without a time.
    pub undated: u64,
    /// Every period from the first to the last, empty ones included.
    pub buckets: Vec<Bucket>,
    /// The split values, most matches first (at most [`SPLIT_VALUES`], then [`OTHER`]).
    pub split_values: Vec<String>,
    /// Where filters left nothing: as [`super::Hits::without_filters`].
    pub without_filters: Vec<(String, usize)>,
}

/// One period's matches.
#[derive(Debug, Clone, PartialEq)]
pub struct Bucket {
    /// Its first day (Amsterdam time).
    pub start: Date,
    pub count: u64,
    /// Matches per split value, in the order of [`Timeline::split_values`], zeros left out.
    pub split: Vec<(String, u64)>,
}

/// Counts the matches of `request` per period.
pub fn timeline(
    searcher: &Searcher,
    request: &Request,
    by: Option<Period>,
    split: Option<Split>,
) -> Result<Timeline> {
    let (answered, asked) = super::as_answered(searcher, request)?;
    let fields = Fields::new(&searcher.index().schema())?;
    let query = build_query(&fields, &asked, answered.any_word)?;
    let days = searcher
        .search(&query, &PerDay { split })
        .map_err(|e| unrunnable(e, &asked))?;
    Ok(assemble(request, answered, days, by, split))
}

/// The timeline of a request from its matches counted per day, and what search answered
/// for it (its total, correction and filters that left nothing): for any store.
pub fn assemble(
    request: &Request,
    answered: super::Hits,
    days: Days,
    by: Option<Period>,
    split: Option<Split>,
) -> Timeline {
    let dated: Vec<Date> = days.counts.keys().copied().collect();
    // The range shown: the filters' where given, else the matches'.
    let first = request
        .since
        .map(clock::amsterdam_date)
        .or(dated.first().copied());
    let last = request
        .until
        .map(clock::amsterdam_date)
        .or(dated.last().copied());
    let by = by.unwrap_or_else(|| match (first, last) {
        (Some(first), Some(last)) => Period::for_days((last - first).whole_days()),
        _ => Period::Day,
    });
    let mut totals: HashMap<&str, u64> = HashMap::new();
    for per_value in days.split.values() {
        for (value, count) in per_value {
            *totals.entry(value.as_str()).or_default() += count;
        }
    }
    let mut ranked: Vec<(&str, u64)> = totals.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut split_values: Vec<String> = ranked
        .iter()
        .take(SPLIT_VALUES)
        .map(|(value, _)| value.to_string())
        .collect();
    if ranked.len() > SPLIT_VALUES {
        split_values.push(OTHER.to_string());
    }
    let mut buckets = Vec::new();
    if let (Some(first), Some(last)) = (first, last) {
        let mut rolled: BTreeMap<Date, (u64, HashMap<&str, u64>)> = BTreeMap::new();
        for (day, count) in &days.counts {
            let bucket = rolled.entry(by.start(*day)).or_default();
            bucket.0 += count;
            for (value, n) in days.split.get(day).into_iter().flatten() {
                let name = if split_values[..split_values.len().min(SPLIT_VALUES)]
                    .iter()
                    .any(|v| v == value)
                {
                    value.as_str()
                } else {
                    OTHER
                };
                *bucket.1.entry(name).or_default() += n;
            }
        }
        let mut start = by.start(first.min(last));
        let end = by.start(first.max(last));
        loop {
            let (count, per_value) = rolled.remove(&start).unwrap_or_default();
            buckets.push(Bucket {
                start,
                count,
                split: split_values
                    .iter()
                    .filter_map(|v| per_value.get(v.as_str()).map(|&n| (v.clone(), n)))
                    .collect(),
            });
            match by.next(start) {
                Some(next) if next <= end => start = next,
                _ => break,
            }
        }
    }
    Timeline {
        query: request.query.clone(),
        corrected: answered.corrected,
        by,
        split,
        total: answered.total as u64,
        undated: days.undated,
        buckets,
        split_values,
        without_filters: answered.without_filters,
    }
}

/// Matches per Amsterdam day, and per day and split value.
struct PerDay {
    split: Option<Split>,
}

/// Matches per Amsterdam day.
#[derive(Debug, Default)]
pub struct Days {
    /// Matches per day.
    pub counts: BTreeMap<Date, u64>,
    /// Matches per day and split value.
    pub split: HashMap<Date, HashMap<String, u64>>,
    /// Matches without a time.
    pub undated: u64,
}

struct SegmentPerDay {
    published: Column<tantivy::DateTime>,
    values: Option<FacetReader>,
    counts: HashMap<i64, u64>,
    by_value: HashMap<(i64, u64), u64>,
    undated: u64,
    /// The last hour seen and its day: consecutive matches mostly share one.
    last_hour: Option<(i64, Date)>,
}

impl Collector for PerDay {
    type Fruit = Days;
    type Child = SegmentPerDay;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentPerDay> {
        Ok(SegmentPerDay {
            published: reader.fast_fields().date(schema::PUBLISHED)?,
            values: self
                .split
                .map(|split| reader.facet_reader(split.field()))
                .transpose()?,
            counts: HashMap::new(),
            by_value: HashMap::new(),
            undated: 0,
            last_hour: None,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Days>) -> tantivy::Result<Days> {
        let mut all = Days::default();
        for fruit in fruits {
            all.undated += fruit.undated;
            for (day, count) in fruit.counts {
                *all.counts.entry(day).or_default() += count;
            }
            for (day, values) in fruit.split {
                let into = all.split.entry(day).or_default();
                for (value, count) in values {
                    *into.entry(value).or_default() += count;
                }
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for SegmentPerDay {
    type Fruit = Days;

    fn collect(&mut self, doc: DocId, _: Score) {
        let Some(seconds) = self.published.first(doc).map(|t| t.into_timestamp_secs()) else {
            self.undated += 1;
            return;
        };
        // Amsterdam days start on a whole UTC hour: the day of an hour is the day of
        // all its seconds.
        let hour = seconds.div_euclid(3_600);
        let day = match self.last_hour {
            Some((last, day)) if last == hour => day,
            _ => {
                let Some(day) = clock::from_unix(hour * 3_600).map(clock::amsterdam_date) else {
                    self.undated += 1;
                    return;
                };
                self.last_hour = Some((hour, day));
                day
            }
        };
        let key = i64::from(day.to_julian_day());
        *self.counts.entry(key).or_default() += 1;
        if let Some(values) = &self.values {
            for ordinal in values.facet_ords(doc) {
                *self.by_value.entry((key, ordinal)).or_default() += 1;
            }
        }
    }

    fn harvest(self) -> Days {
        let day_of = |key: i64| Date::from_julian_day(key as i32).ok();
        let mut days = Days {
            undated: self.undated,
            ..Days::default()
        };
        for (key, count) in self.counts {
            if let Some(day) = day_of(key) {
                days.counts.insert(day, count);
            }
        }
        let Some(values) = &self.values else {
            return days;
        };
        let mut names: HashMap<u64, String> = HashMap::new();
        let mut facet = Facet::root();
        for ((key, ordinal), count) in self.by_value {
            let name = names.entry(ordinal).or_insert_with(|| {
                // A value that cannot be read counts as no value, as in the facets.
                values
                    .facet_from_ord(ordinal, &mut facet)
                    .map(|()| crate::index::facet_value(&facet))
                    .unwrap_or_default()
            });
            if let Some(day) = day_of(key)
                && !name.is_empty()
            {
                *days
                    .split
                    .entry(day)
                    .or_default()
                    .entry(name.clone())
                    .or_default() += count;
            }
        }
        days
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn periods_start_and_follow() {
        let day = date!(2019 - 05 - 15);
        assert_eq!(Period::Week.start(day), date!(2019 - 05 - 13));
        assert_eq!(Period::Month.start(day), date!(2019 - 05 - 01));
        assert_eq!(Period::Year.start(day), date!(2019 - 01 - 01));
        assert_eq!(
            Period::Month.next(date!(2019 - 12 - 01)),
            Some(date!(2020 - 01 - 01))
        );
        assert_eq!(
            Period::Week.next(date!(2019 - 05 - 13)),
            Some(date!(2019 - 05 - 20))
        );
    }

    #[test]
    fn longer_ranges_get_longer_periods() {
        assert_eq!(Period::for_days(30), Period::Day);
        assert_eq!(Period::for_days(365), Period::Week);
        assert_eq!(Period::for_days(7 * 365), Period::Month);
        assert_eq!(Period::for_days(20 * 365), Period::Year);
    }
}

//! The query string of the page and of the API: what it may hold, read strictly (a bad
//! value is a 400 with a message), and written back into links that change one thing.

use crate::clock;
use crate::search::timeline::{Period, Split};
use crate::search::{Criteria, Request, Sort};

/// The longest query accepted, in characters: a pasted article is not a query.
const MAX_QUERY_CHARS: usize = 1_000;
/// Hits a page shows.
pub const PAGE_HITS: usize = 20;
/// The most hits one API request returns.
const MAX_API_LIMIT: usize = 1_000;
/// The most values of one filter.
const MAX_VALUES: usize = 50;

/// Who reads the answer: the page pages by 20, the API takes `limit` and `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    Page,
    Api,
}

/// A search as the URL gives it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Params {
    /// As typed; empty means every article.
    pub q: String,
    pub agencies: Vec<String>,
    pub cities: Vec<String>,
    pub outlets: Vec<String>,
    pub sections: Vec<String>,
    pub langs: Vec<String>,
    /// As typed (`2019-05-14`, `2019`, `7d`).
    pub since: Option<String>,
    pub until: Option<String>,
    pub sort: Option<Sort>,
    /// The page, from 1.
    pub page: usize,
    pub limit: usize,
    pub offset: usize,
    pub by: Option<Period>,
    pub split: Option<Split>,
    /// The saved search whose new hits are marked.
    pub follow: Option<String>,
}

impl Params {
    /// Reads the pairs of a query string. Unknown names are ignored (a bookmark from a
    /// later version still opens); a bad value is an error message.
    pub fn parse(pairs: &[(String, String)], use_: Use) -> Result<Params, String> {
        let mut params = Params {
            page: 1,
            limit: if use_ == Use::Page { PAGE_HITS } else { 10 },
            ..Params::default()
        };
        for (name, value) in pairs {
            let value = value.trim();
            match name.as_str() {
                "q" => {
                    if value.chars().count() > MAX_QUERY_CHARS {
                        return Err(format!(
                            "the query is longer than {MAX_QUERY_CHARS} characters"
                        ));
                    }
                    params.q = value.to_string();
                }
                "agency" => push(&mut params.agencies, value)?,
                "city" => push(&mut params.cities, value)?,
                "outlet" => push(&mut params.outlets, value)?,
                "section" => push(&mut params.sections, value)?,
                "lang" => push(&mut params.langs, value)?,
                "since" | "until" if !value.is_empty() => {
                    if clock::parse_user_span(value, time::OffsetDateTime::now_utc()).is_none() {
                        return Err(format!(
                            "{name}={value:?} is not a time: use 2019, 2019-05, 2019-05-14, 2019-05-14T12:00:00Z, or 7d, 24h, 2w"
                        ));
                    }
                    if name == "since" {
                        params.since = Some(value.to_string());
                    } else {
                        params.until = Some(value.to_string());
                    }
                }
                "sort" if !value.is_empty() => {
                    params.sort = Some(match value {
                        "relevance" => Sort::Relevance,
                        "date" => Sort::Date,
                        "oldest" => Sort::Oldest,
                        _ => return Err(format!("sort={value:?}: use relevance, date or oldest")),
                    });
                }
                "follow" if !value.is_empty() => params.follow = Some(value.to_string()),
                "page" => params.page = number(name, value, 1, 10_000)?,
                "limit" if use_ == Use::Api => {
                    params.limit = number(name, value, 0, MAX_API_LIMIT)?;
                }
                "offset" if use_ == Use::Api => params.offset = number(name, value, 0, 1_000_000)?,
                "by" if !value.is_empty() => {
                    params.by = Some(match value {
                        "day" => Period::Day,
                        "week" => Period::Week,
                        "month" => Period::Month,
                        "year" => Period::Year,
                        _ => return Err(format!("by={value:?}: use day, week, month or year")),
                    });
                }
                "split" if !value.is_empty() => {
                    params.split = Some(match value {
                        "agency" => Split::Agency,
                        "city" => Split::City,
                        "section" => Split::Section,
                        "outlet" => Split::Outlet,
                        _ => {
                            return Err(format!(
                                "split={value:?}: use agency, city, section or outlet"
                            ));
                        }
                    });
                }
                _ => {}
            }
        }
        if use_ == Use::Page {
            params.offset = (params.page - 1) * PAGE_HITS;
        }
        Ok(params)
    }

    /// The search these parameters ask for: the same criteria as the CLI's flags, read
    /// the same way (dates were checked when the parameters were read).
    pub fn request(&self) -> anyhow::Result<Request> {
        let criteria = Criteria {
            query: if self.q.is_empty() {
                "*".to_string()
            } else {
                self.q.clone()
            },
            agencies: self.agencies.clone(),
            cities: self.cities.clone(),
            // The search takes one section and one language: the last one given.
            section: self.sections.last().cloned(),
            outlets: self.outlets.clone(),
            lang: self.langs.last().cloned(),
            since: self.since.clone(),
            until: self.until.clone(),
        };
        Ok(Request {
            limit: self.limit,
            offset: self.offset,
            sort: self.sort.unwrap_or_default(),
            ..criteria.request(time::OffsetDateTime::now_utc())?
        })
    }

    /// The timeline's request: the same search, no page of hits.
    pub fn for_timeline(request: &Request) -> Request {
        Request {
            limit: 0,
            offset: 0,
            ..request.clone()
        }
    }

    /// The query string for these parameters (page 1 left out).
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        for (name, values) in [
            ("agency", &self.agencies),
            ("city", &self.cities),
            ("outlet", &self.outlets),
            ("section", &self.sections),
            ("lang", &self.langs),
        ] {
            pairs.extend(values.iter().map(|v| (name, v.clone())));
        }
        if let Some(since) = &self.since {
            pairs.push(("since", since.clone()));
        }
        if let Some(until) = &self.until {
            pairs.push(("until", until.clone()));
        }
        if let Some(sort) = self.sort {
            pairs.push(("sort", sort_name(sort).to_string()));
        }
        if let Some(by) = self.by {
            pairs.push(("by", by.as_str().to_string()));
        }
        if let Some(split) = self.split {
            pairs.push(("split", split.as_str().to_string()));
        }
        if let Some(follow) = &self.follow {
            pairs.push(("follow", follow.clone()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }

    /// The page of a saved search: its query and filters, newest first, its new hits
    /// marked.
    pub fn of_saved(saved: &crate::follow::Saved) -> Params {
        let criteria = &saved.criteria;
        Params {
            q: criteria.query.clone(),
            agencies: criteria.agencies.clone(),
            cities: criteria.cities.clone(),
            outlets: criteria.outlets.clone(),
            sections: criteria.section.iter().cloned().collect(),
            langs: criteria.lang.iter().cloned().collect(),
            since: criteria.since.clone(),
            until: criteria.until.clone(),
            sort: Some(Sort::Date),
            page: 1,
            follow: Some(saved.name.clone()),
            ..Params::default()
        }
    }

    /// These parameters with a filter value added, or removed where it is there; back
    /// to page 1.
    pub fn toggled(&self, facet: &str, value: &str) -> Params {
        let mut changed = Params {
            page: 1,
            ..self.clone()
        };
        let values = match facet {
            "agency" => &mut changed.agencies,
            "city" => &mut changed.cities,
            "outlet" => &mut changed.outlets,
            "section" => &mut changed.sections,
            _ => &mut changed.langs,
        };
        if let Some(at) = values.iter().position(|v| v.eq_ignore_ascii_case(value)) {
            values.remove(at);
        } else {
            values.push(value.to_string());
        }
        changed
    }

    /// Whether a filter value is set.
    pub fn has(&self, facet: &str, value: &str) -> bool {
        let values = match facet {
            "agency" => &self.agencies,
            "city" => &self.cities,
            "outlet" => &self.outlets,
            "section" => &self.sections,
            _ => &self.langs,
        };
        values.iter().any(|v| v.eq_ignore_ascii_case(value))
    }
}

pub fn sort_name(sort: Sort) -> &'static str {
    match sort {
        Sort::Relevance => "relevance",
        Sort::Date => "date",
        Sort::Oldest => "oldest",
    }
}

fn push(values: &mut Vec<String>, value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Ok(());
    }
    if values.len() >= MAX_VALUES || value.chars().count() > 200 {
        return Err("too many or too long filter values".to_string());
    }
    values.push(value.to_string());
    Ok(())
}

fn number(name: &str, value: &str, low: usize, high: usize) -> Result<usize, String> {
    value
        .parse::<usize>()
        .ok()
        .filter(|n| (low..=high).contains(n))
        .ok_or_else(|| format!("{name}={value:?}: give a whole number from {low} to {high}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(query: &str) -> Vec<(String, String)> {
        serde_urlencoded::from_str(query).unwrap()
    }

    #[test]
    fn a_query_string_reads_and_writes_back() {
        let params = Params::parse(
            &pairs("q=Kim+Jong-un&agency=ANP&agency=RTR&since=2019-05&sort=date&page=2"),
            Use::Page,
        )
        .unwrap();
        assert_eq!(params.agencies, ["ANP", "RTR"]);
        assert_eq!(params.offset, PAGE_HITS);
        assert_eq!(
            params.to_query(),
            "q=Kim+Jong-un&agency=ANP&agency=RTR&since=2019-05&sort=date&page=2"
        );
        let fewer = params.toggled("agency", "rtr");
        assert_eq!(fewer.agencies, ["ANP"]);
        assert_eq!(fewer.page, 1);
        assert!(params.toggled("city", "Moskou").has("city", "moskou"));
    }

    #[test]
    fn bad_values_are_messages() {
        for query in [
            "since=gisteren",
            "sort=score",
            "page=0",
            "page=abc",
            "by=hour",
            "split=lang",
        ] {
            assert!(Params::parse(&pairs(query), Use::Page).is_err(), "{query}");
        }
        let long = format!("q={}", "a".repeat(MAX_QUERY_CHARS + 1));
        assert!(Params::parse(&pairs(&long), Use::Page).is_err());
        assert!(Params::parse(&pairs("limit=5000"), Use::Api).is_err());
        // Unknown names are left alone; an empty query is every article.
        let params = Params::parse(&pairs("utm_source=x"), Use::Page).unwrap();
        assert_eq!(params.request().unwrap().query, "*");
    }
}

//! `dateline search`: ranking, filters, facets, the JSON contract and the human output.

use crate::util::{
    FIXTURE_AND_SEED_PAGES, FIXTURE_AND_SEED_STORIES, Sandbox, assert_golden, indexed_fixtures,
    stdout, titles,
};
use serde::Deserialize;

fn indexed() -> &'static Sandbox {
    indexed_fixtures()
}

/// DESIGN.md's JSON shape. Unknown keys fail the test, so adding one is a deliberate act.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct SearchOutput {
    query: String,
    corrected: Option<String>,
    did_you_mean: Vec<Suggestion>,
    any_word: bool,
    without_filters: Vec<WithoutFilter>,
    total: u64,
    hits: Vec<HitOutput>,
    facets: Facets,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct WithoutFilter {
    filter: String,
    total: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Suggestion {
    query: String,
    total: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct HitOutput {
    id: String,
    score: f32,
    kind: String,
    title: String,
    city: Option<String>,
    agencies: Vec<String>,
    section: Option<String>,
    lang: String,
    published: Option<String>,
    time_source: String,
    outlet: Option<String>,
    url: Option<String>,
    sources: Vec<String>,
    /// Added for `follow` (README, "JSON"): when the story came into the index.
    first_indexed: String,
    snippet: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Facets {
    agency: std::collections::BTreeMap<String, u64>,
    city: std::collections::BTreeMap<String, u64>,
    section: std::collections::BTreeMap<String, u64>,
    outlet: std::collections::BTreeMap<String, u64>,
}

fn search(args: &[&str]) -> SearchOutput {
    serde_json::from_value(indexed().search_json(args))
        .expect("search --json keeps to DESIGN.md's shape")
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn kim_jong_un_ranks_the_komsomolsk_article_first() {
    let result = search(&["Kim Jong-un"]);
    assert_eq!(result.query, "Kim Jong-un");
    let top = &result.hits[0];
    assert_eq!(
        top.title,
        "Kim Jong-un bezoekt ruimtevaartfabriek in oosten Rusland"
    );
    assert_eq!(top.city.as_deref(), Some("Komsomolsk aan de Amoer"));
    assert_eq!(top.agencies, ["ANP", "RTR"]);
    assert_eq!(top.kind, "lead");
    assert_eq!(top.section.as_deref(), Some("Buitenland"));
    assert_eq!(top.published.as_deref(), Some("2026-01-25T12:00:00Z"));
    assert_eq!(top.sources, ["pages/buitenland/seed.txt"]);
    assert_eq!(top.id.len(), 16);
    assert!(
        top.snippet.contains("<b>Kim</b> <b>Jong</b>-<b>un</b>"),
        "{}",
        top.snippet
    );
}

#[test]
fn hyphenated_name_matches_as_a_phrase() {
    // "Jong-un" is the phrase "jong un": a page with both words apart does not match.
    let sandbox = Sandbox::new();
    sandbox.write_page(
        "apart.txt",
        "Kop\nSEOUL (ANP) - Kim sprak met Jong over un.\n",
    );
    sandbox.write_page("phrase.txt", "Kop twee\nSEOUL (ANP) - Kim Jong-un sprak.\n");
    sandbox.index_pages();
    let hits = sandbox.search_json(&["Kim Jong-un"]);
    assert_eq!(hits["total"], 1);
    assert_eq!(
        hits["hits"][0]["sources"],
        serde_json::json!(["pages/phrase.txt"])
    );
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn peskov_is_in_two_articles_and_dpa_narrows_to_moskou() {
    let all = search(&["Peskov"]);
    assert_eq!(all.total, 2);
    assert_eq!(all.facets.agency.get("DPA"), Some(&1));
    assert_eq!(all.facets.agency.get("ANP"), Some(&2));
    let dpa = search(&["Peskov", "--agency", "DPA"]);
    assert_eq!(dpa.total, 1);
    assert_eq!(dpa.hits[0].city.as_deref(), Some("Moskou"));
    assert_eq!(dpa.hits[0].agencies, ["ANP", "DPA", "RTR"]);
    assert_eq!(dpa.facets.city.len(), 1);
    assert_eq!(dpa.facets.section.get("Buitenland"), Some(&1));
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn repeated_agency_means_any_of_them() {
    let one = search(&["*", "--agency", "AFN"]).total;
    let other = search(&["*", "--agency", "BELGA"]).total;
    let either = search(&["*", "--agency", "AFN", "--agency", "belga"]).total;
    assert!(one > 0 && other > 0);
    assert_eq!(either, one + other);
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn stemming_finds_other_forms() {
    let fabriek = search(&["fabriek"]);
    let fabrieken = search(&["fabrieken"]);
    assert_eq!(fabriek.total, fabrieken.total);
    assert!(
        fabriek
            .hits
            .iter()
            .any(|h| h.snippet.contains("<b>fabrieken</b>"))
    );
}

/// A part finds the compound, and the highlight marks the whole compound. Needs the
/// compound lexicon, which the build counts over `../shared/corpus`.
#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn compound_parts_find_the_compound() {
    for (part, compound, title) in [
        (
            "fabriek",
            "ruimtevaartfabriek",
            "Kim Jong-un bezoekt ruimtevaartfabriek",
        ),
        (
            "vakantie",
            "voorjaarsvakantie",
            "Drukte op Schiphol verwacht",
        ),
        ("opvang", "nachtopvang", "Gemeente moet nachtopvang"),
        (
            "rechter",
            "voorzieningenrechter",
            "Gemeente moet nachtopvang",
        ),
    ] {
        let result = search(&[part]);
        let hit = result
            .hits
            .iter()
            .find(|h| h.title.starts_with(title))
            .unwrap_or_else(|| panic!("{part:?} does not find {title:?}"));
        // The passage shown marks the compound, or the word itself where the article
        // also has it (`de fabriek`): the literal word ranks first.
        assert!(
            hit.snippet.contains(&format!("<b>{compound}</b>"))
                || hit.snippet.contains(&format!("<b>{part}</b>")),
            "{part:?}: {}",
            hit.snippet
        );
    }
    // A compound asked for with one of its parts is marked once, not once per term.
    let both = search(&["ruimtevaartfabriek fabriek"]);
    assert_eq!(both.total, 1);
    assert_eq!(both.hits[0].snippet.matches("<b>").count(), 1);
    // Splitting is conservative: `minister` is not `mini` + `ster`.
    assert_eq!(search(&["ster"]).total, 0);
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn diacritics_do_not_matter_in_queries_or_city_filters() {
    assert_eq!(search(&["Oekraine"]).total, search(&["Oekraïne"]).total);
    assert!(search(&["Oekraine"]).total > 0);
    let city = search(&["*", "--city", "sao paulo"]);
    assert!(city.total > 0);
    assert!(
        city.hits
            .iter()
            .all(|h| h.city.as_deref() == Some("São Paulo"))
    );
    assert_eq!(
        search(&["*", "--city", "den haag"]).total,
        search(&["*", "--city", "DEN HAAG"]).total
    );
    // Any name of a city filters as the city (tests/queries.rs has the words).
    let bosch: Vec<Option<String>> = search(&["*", "--city", "'s-hertogenbosch"])
        .hits
        .into_iter()
        .map(|h| h.city)
        .collect();
    assert!(
        bosch.contains(&Some("'s-Hertogenbosch".into())),
        "{bosch:?}"
    );
    assert!(bosch.contains(&Some("Den Bosch".into())), "{bosch:?}");
    assert_eq!(
        search(&["*", "--city", "Den Bosch"]).total,
        bosch.len() as u64
    );
}

/// Agency names as people write them filter as the agency's code (the lists are in
/// src/analysis/aliases/).
#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn agency_names_filter_as_their_codes() {
    let rtr = search(&["*", "--agency", "RTR"]).total;
    assert!(rtr > 0);
    for name in ["Reuters", "reuters"] {
        assert_eq!(search(&["*", "--agency", name]).total, rtr, "{name}");
    }
    let bloomberg = search(&["*", "--agency", "BLOOMBERG"]).total;
    assert!(bloomberg > 0);
    assert_eq!(
        search(&["*", "--agency", "Bloomberg News"]).total,
        bloomberg
    );
    let dpa = search(&["*", "--agency", "DPA"]).total;
    assert_eq!(
        search(&["*", "--agency", "Deutsche Presse-Agentur"]).total,
        dpa
    );
}

/// The outlet is a facet and a filter, by its name or its host.
#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn outlet_is_a_facet_and_a_filter() {
    let all = search(&["*"]);
    assert_eq!(
        all.facets.outlet.get("Duinbode"),
        Some(&7),
        "{:?}",
        all.facets
    );
    assert_eq!(all.facets.outlet.get("wadpost.example"), Some(&1));
    let duinbode = search(&["*", "--outlet", "duinbode"]);
    assert_eq!(duinbode.total, 7);
    assert!(
        duinbode
            .hits
            .iter()
            .all(|h| h.outlet.as_deref() == Some("Duinbode"))
    );
    assert_eq!(search(&["*", "--outlet", "www.wadpost.example"]).total, 1);
    assert_eq!(search(&["*", "--outlet", "nos.nl"]).total, 0);
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn section_lang_and_date_filters_combine() {
    let sport = search(&["*", "--section", "sport", "--limit", "1000"]);
    assert!(sport.total > 0);
    assert!(
        sport
            .hits
            .iter()
            .all(|h| h.section.as_deref() == Some("Sport"))
    );
    let english = search(&["*", "--lang", "en"]);
    assert_eq!(english.total, 1);
    let window = search(&[
        "*",
        "--since",
        "2026-01-25T10:00:00Z",
        "--until",
        "2026-01-25T11:53:00Z",
        "--limit",
        "100",
    ]);
    let mut published: Vec<String> = window
        .hits
        .iter()
        .filter_map(|h| h.published.clone())
        .collect();
    published.sort();
    assert_eq!(
        published,
        [
            "2026-01-25T10:00:00Z",
            "2026-01-25T10:00:00Z",
            "2026-01-25T11:00:00Z",
            "2026-01-25T11:35:00Z",
            "2026-01-25T11:51:00Z",
            "2026-01-25T11:53:00Z"
        ]
    );
    let both = search(&[
        "*",
        "--since",
        "2026-01-25T10:00:00Z",
        "--until",
        "2026-01-25T11:53:00Z",
        "--agency",
        "AFP",
    ]);
    assert_eq!(both.total, 2);
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn sort_by_date_is_newest_first_and_pages_do_not_overlap() {
    let first = search(&["*", "--sort", "date", "--limit", "5"]);
    let second = search(&["*", "--sort", "date", "--limit", "5", "--offset", "5"]);
    let times: Vec<String> = first
        .hits
        .iter()
        .chain(&second.hits)
        .map(|h| h.published.clone().unwrap_or_default())
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted);
    let ids: std::collections::HashSet<&String> = first
        .hits
        .iter()
        .chain(&second.hits)
        .map(|h| &h.id)
        .collect();
    assert_eq!(ids.len(), 10);
    assert_eq!(first.total, second.total);
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn equal_scores_are_ordered_the_same_every_time() {
    let a = titles(&indexed().search_json(&["*", "--limit", "200"]));
    let b = titles(&indexed().search_json(&["*", "--limit", "200"]));
    assert_eq!(a, b);
    assert_eq!(a.len() as u64, FIXTURE_AND_SEED_STORIES);
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn zero_hits_is_success() {
    let result = search(&["xylofoonconcertzaal"]);
    assert_eq!(result.total, 0);
    assert!(result.hits.is_empty());
    let output = indexed()
        .run(&["search", "xylofoonconcertzaal"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        stdout(&output),
        "no articles match \"xylofoonconcertzaal\"\n"
    );
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn a_typo_with_no_hits_is_corrected_and_said_so() {
    let result = search(&["Poetn"]);
    assert_eq!(result.query, "Poetn");
    assert_eq!(result.corrected.as_deref(), Some("Poetin"));
    assert_eq!(result.total, search(&["Poetin"]).total);
    assert!(result.total > 0);

    let output = indexed()
        .run(&["search", "Peskov Kremln"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(
        stdout(&output).starts_with(
            "no results for \"Peskov Kremln\"; showing results for \"Peskov Kremlin\"\n"
        ),
        "{}",
        stdout(&output)
    );

    // Known words that match nothing together, a filter that rules them out, and short
    // words are left as they are.
    assert_eq!(search(&["Poetin", "--agency", "BELGA"]).corrected, None);
    assert_eq!(search(&["Kim Jong-on"]).corrected, None);
    assert_eq!(search(&["xylofoonconcertzaal"]).corrected, None);
    assert_eq!(search(&["Poetin"]).corrected, None);
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn query_syntax_or_exclusion_and_fields() {
    let peskov = search(&["Peskov"]).total;
    let burnham = search(&["Burnham"]).total;
    assert_eq!(search(&["Peskov OR Burnham"]).total, peskov + burnham);
    assert_eq!(search(&["Peskov -Kallas"]).total, 1);
    assert_eq!(search(&["title:Kim"]).total, 1);
    assert_eq!(search(&["body:(Burnham OR Kallas)"]).total, 2);
    assert_eq!(search(&["\"Dmitri Peskov\""]).total, 2);
    assert_eq!(search(&["\"Peskov Dmitri\""]).total, 0);
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn human_output_matches_the_golden_file() {
    let output = indexed().run(&["search", "Peskov"]).output().unwrap();
    assert!(output.status.success());
    assert!(output.stderr.is_empty());
    assert_golden("search-peskov.txt", &stdout(&output));
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn stats_counts_articles_pages_and_shared_stories() {
    let output = indexed().run(&["stats", "--json"]).output().unwrap();
    let stats: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(stats["articles"], FIXTURE_AND_SEED_STORIES);
    assert_eq!(stats["pages"], FIXTURE_AND_SEED_PAGES);
    // The saved Wall Street page is the same story as its text export.
    assert_eq!(stats["stories_on_several_pages"], 7);
    assert_eq!(stats["top_agencies"]["ANP"], 109);
    assert_eq!(stats["top_outlets"]["Duinbode"], 7, "{stats}");
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn closed_stdout_ends_quietly() {
    let index = indexed().index();
    let binary = assert_cmd::cargo::cargo_bin("dateline");
    let output = std::process::Command::new("bash")
        .arg("-c")
        .arg(
            r#"set -o pipefail; "$0" search '*' --limit 1000 --index "$1" | head -c 10 >/dev/null"#,
        )
        .arg(binary)
        .arg(index)
        .env_remove("DATELINE_INDEX")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

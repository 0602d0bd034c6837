//! `dateline extract` and the extractor's public API on the sample page and fixtures.

use crate::util::{dateline, repo, seed_page, seed_time, stdout};
use dateline::extract::{self, Kind, Page};

fn seed_articles() -> Vec<extract::Article> {
    let page = Page {
        path: "seed-page.txt".into(),
        bytes: std::fs::read(seed_page()).unwrap(),
        modified: Some(seed_time().into()),
    };
    extract::articles(&page).expect("the sample page has articles")
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn sample_page_gives_a_lead_and_seven_items() {
    let articles = seed_articles();
    let kinds: Vec<Kind> = articles.iter().map(|a| a.kind).collect();
    assert_eq!(kinds, [vec![Kind::Lead], vec![Kind::Item; 7]].concat());
    let cities: Vec<&str> = articles.iter().filter_map(|a| a.city.as_deref()).collect();
    assert_eq!(
        cities,
        [
            "Komsomolsk aan de Amoer",
            "Londen",
            "Juba",
            "Moskou",
            "Washington",
            "Tokio",
            "Teheran",
            "Londen"
        ]
    );
    assert_eq!(
        articles[0].title,
        "Kim Jong-un bezoekt ruimtevaartfabriek in oosten Rusland"
    );
    assert_eq!(articles[0].agencies, ["ANP", "RTR"]);
    assert_eq!(articles[3].agencies, ["ANP", "DPA", "RTR"]);
    assert!(
        articles
            .iter()
            .all(|a| a.section.as_deref() == Some("Buitenland"))
    );
    assert!(articles.iter().all(|a| a.lang == "nl"));
    assert!(
        articles[0]
            .body
            .starts_with("De Noord-Koreaanse leider Kim Jong-un heeft")
    );
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn sample_page_ages_belong_to_the_item_above() {
    let ages: Vec<Option<String>> = seed_articles()
        .iter()
        .map(|a| a.age.as_ref().map(|age| age.text.clone()))
        .collect();
    let expected = [
        None,
        Some("7 minuten geleden"),
        Some("9 minuten geleden"),
        Some("25 minuten geleden"),
        Some("1 uur geleden"),
        Some("2 uur geleden"),
        Some("2 uur geleden"),
        Some("3 uur geleden"),
    ];
    assert_eq!(ages, expected.map(|a| a.map(String::from)));
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn extract_json_gives_published_times_from_the_page_time() {
    let page = tempfile::tempdir().unwrap();
    let copy = page.path().join("seed.txt");
    std::fs::copy(seed_page(), &copy).unwrap();
    crate::util::set_modified(&copy, seed_time());
    let output = dateline()
        .arg("extract")
        .arg("--json")
        .arg(&copy)
        .output()
        .unwrap();
    assert!(output.status.success());
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 8);
    let published: Vec<&str> = lines
        .iter()
        .map(|l| l["published"].as_str().unwrap())
        .collect();
    assert_eq!(
        published,
        [
            "2026-01-25T12:00:00Z",
            "2026-01-25T11:53:00Z",
            "2026-01-25T11:51:00Z",
            "2026-01-25T11:35:00Z",
            "2026-01-25T11:00:00Z",
            "2026-01-25T10:00:00Z",
            "2026-01-25T10:00:00Z",
            "2026-01-25T09:00:00Z",
        ]
    );
    assert_eq!(
        lines[1]["title"],
        "De burgemeester van Manchester, Andy Burnham, mag van zijn Labourpartij niet terugkeren in het parlement, schrijven Britse media als The Guardian en BBC."
    );
    assert_eq!(lines[1]["age"], "7 minuten geleden");
    let keys: Vec<&str> = lines[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        [
            "age",
            "agencies",
            "body",
            "city",
            "kind",
            "lang",
            "outlet",
            "page",
            "published",
            "section",
            "time_source",
            "title",
            "url"
        ]
    );
}

#[test]
fn english_page_is_english() {
    let path = repo().join("fixtures/english/london-rail-strike.txt");
    let output = dateline()
        .arg("extract")
        .arg("--json")
        .arg(path)
        .output()
        .unwrap();
    let first: serde_json::Value =
        serde_json::from_str(stdout(&output).lines().next().unwrap()).unwrap();
    assert_eq!(first["lang"], "en");
    assert_eq!(first["city"], "London");
    assert_eq!(first["agencies"], serde_json::json!(["RTR"]));
}

/// A section listing page as the sample's site writes it (the first shape: `ANP
/// <headline>`, the dateline paragraph, then the age, however old): every entry is an
/// item dated by its age against the page's date line, not a lead dated by the file.
#[test]
fn a_listing_page_of_old_entries_is_items_dated_by_their_ages() {
    let page = Page {
        path: "overzicht-pagina-11.txt".into(),
        bytes: std::fs::read(repo().join("fixtures/politiek/overzicht-pagina-11.txt")).unwrap(),
        modified: Some(seed_time().into()),
    };
    let articles = extract::articles(&page).unwrap();
    let rows: Vec<(Kind, &str, Option<&str>, &str)> = articles
        .iter()
        .map(|a| {
            (
                a.kind,
                a.title.as_str(),
                a.age.as_ref().map(|age| age.text.as_str()),
                a.time_source.as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                Kind::Item,
                "Kamer wil opheldering over vertraagde dijkversterking",
                Some("1 jaar geleden"),
                "age"
            ),
            (
                Kind::Item,
                "Gemeenten krijgen meer geld voor jeugdzorg",
                Some("1 jaar geleden"),
                "age"
            ),
            (
                Kind::Item,
                "Senaat stemt in met nieuwe regels voor lobbyisten",
                Some("5 jaar geleden"),
                "age"
            ),
        ]
    );
    // Against the date line (vrijdag 23 januari 2026), not the file's time (25 januari).
    let years: Vec<i32> = articles
        .iter()
        .map(|a| a.published.unwrap().year())
        .collect();
    assert_eq!(years, [2025, 2025, 2021]);
    assert!(articles.iter().all(|a| !a.body.contains("geleden")));
}

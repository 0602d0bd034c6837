//! What people type: pasted headlines, apostrophes, stop words, word forms, quotes,
//! typos. Every query here must run (exit 0) and find what a person means first.

use crate::util::{FIXTURE_AND_SEED_STORIES, Sandbox, indexed_fixtures, stdout};
use serde_json::Value;

fn indexed() -> &'static Sandbox {
    indexed_fixtures()
}

fn search(query: &str) -> Value {
    indexed().search_json(&[query, "--limit", "200"])
}

fn titles(result: &Value) -> Vec<String> {
    result["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["title"].as_str().unwrap().to_string())
        .collect()
}

fn ids(result: &Value) -> Vec<String> {
    let mut ids: Vec<String> = result["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

fn first_title(query: &str) -> String {
    titles(&search(query))
        .into_iter()
        .next()
        .unwrap_or_default()
}

fn rank_of(result: &Value, title_start: &str) -> Option<usize> {
    titles(result)
        .iter()
        .position(|t| t.starts_with(title_start))
}

#[test]
fn pasted_and_everyday_text_finds_what_it_says() {
    for (query, first) in [
        ("auto's", "Duitse autoverkoop zakt verder weg"),
        ("panda's", "Reuzenpanda's in Rhenen"),
        ("d'Hondt", "Rutte: het is ook niet eenvoudig"),
        ("O'Neill", "Ierse minister O'Neill"),
        (
            "Rutte: het is ook niet eenvoudig",
            "Rutte: het is ook niet eenvoudig",
        ),
        ("PSV - Ajax (2-1)", "PSV - Ajax (2-1)"),
        ("’Rutte’ „eenvoudig“", "Rutte: het is ook niet eenvoudig"),
    ] {
        let result = search(query);
        assert!(result["total"].as_u64().unwrap() > 0, "{query}: no hits");
        assert!(
            first_title(query).starts_with(first),
            "{query}: first is {:?}",
            titles(&result)
        );
        assert_eq!(result["corrected"], Value::Null, "{query}");
    }
}

#[test]
fn a_city_s_other_name_finds_its_datelines() {
    // One page datelines 'S-HERTOGENBOSCH, another DEN BOSCH: the same city.
    for query in ["'s-Hertogenbosch", "Den Bosch"] {
        let result = search(query);
        for title in [
            "Personeelstekort dwingt gevangenissen",
            "Bossche carnaval verwacht",
        ] {
            assert!(
                rank_of(&result, title).is_some(),
                "{query}: {:?}",
                titles(&result)
            );
        }
    }
}

#[test]
fn stop_words_alone_are_searched_as_words() {
    let result = search("de het een");
    let total = result["total"].as_u64().unwrap();
    assert!(total > 10, "{total}");
    assert!(total < FIXTURE_AND_SEED_STORIES, "{total}");
    // Among other words they are left out: they neither narrow nor widen a search.
    assert_eq!(
        search("de Wilders").get("total"),
        search("Wilders").get("total")
    );
    // Quoted, a stop word is asked for, alone or beside other words.
    assert_eq!(search("\"de\"")["total"], search("de")["total"]);
    let quoted_with = search("\"de\" Wilders")["total"].as_u64().unwrap();
    assert!(quoted_with > 0, "{quoted_with}");
}

#[test]
fn field_prefixes_and_unknown_fields() {
    assert_eq!(search("title:*")["total"], FIXTURE_AND_SEED_STORIES);
    // An unknown field is words: no article has both, so any of them is shown, and said.
    let city = search("city:Eindhoven");
    assert_eq!(city["any_word"], true);
    assert!(rank_of(&city, "Chipmachinemaker").is_some());
    assert_eq!(search("Eindhoven")["any_word"], false);
    assert_eq!(
        search("title:Verstappen")["total"],
        2,
        "{:?}",
        titles(&search("title:Verstappen"))
    );
    assert_eq!(search("body:Verstapen")["total"], 1);
}

#[test]
fn lower_case_or_is_or() {
    let peskov = search("Peskov")["total"].as_u64().unwrap();
    let wilders = search("Wilders")["total"].as_u64().unwrap();
    assert_eq!(search("Peskov or Wilders")["total"], peskov + wilders);
    assert_eq!(search("Peskov OR Wilders")["total"], peskov + wilders);
}

#[test]
fn quotes_mean_the_words_as_written() {
    // Plain `land` also finds `Waterland` and `Landsmeer` (compound parts), below the
    // articles that say `land`; quoted, only those.
    let plain = search("land");
    let quoted = search("\"land\"");
    let compound = rank_of(&plain, "Raad Landsmeer").expect("land finds Landsmeer");
    assert!(rank_of(&quoted, "Raad Landsmeer").is_none());
    let literal = rank_of(&plain, "Gemeenten in het hele land").unwrap();
    assert!(literal < compound);
    assert!(quoted["total"].as_u64() < plain["total"].as_u64());
    // Not stemmed either: `"fabrieken"` does not find an article with only `fabriek`.
    let fabrieken = search("\"fabrieken\"");
    assert!(rank_of(&fabrieken, "Kim Jong-un").is_none());
    assert!(rank_of(&fabrieken, "Chipmachinemaker").is_some());
    // A quoted phrase keeps its stop words and its order.
    assert_eq!(search("\"het is ook niet eenvoudig\"")["total"], 1);
    assert_eq!(search("\"niet ook is het eenvoudig\"")["total"], 0);
    // Diacritics and case still fold.
    assert_eq!(
        search("\"OEKRAINE\"")["total"],
        search("\"Oekraïne\"")["total"]
    );
}

#[test]
fn the_word_as_written_ranks_above_its_stem_and_that_above_a_part() {
    // `fabrieken`: the article that says it first, then the one that says `fabriek`
    // (and `ruimtevaartfabriek`).
    let result = search("fabrieken");
    assert_eq!(
        rank_of(&result, "Chipmachinemaker"),
        Some(0),
        "{:?}",
        titles(&result)
    );
    assert!(rank_of(&result, "Kim Jong-un").is_some());
    // `formatie` is not a part of `transformatie` (a Latin prefix is no word).
    let formatie = search("formatie");
    assert_eq!(titles(&formatie), ["Rutte: het is ook niet eenvoudig"]);
}

#[test]
fn word_forms_join_the_right_words() {
    for (one, other) in [("fiets", "fietsen"), ("kans", "kansen"), ("mens", "mensen")] {
        let (a, b) = (search(one), search(other));
        assert!(a["total"].as_u64().unwrap() > 0, "{one}");
        assert_eq!(ids(&a), ids(&b), "{one} / {other}");
    }
    // `minister` is not `mini` + `ster`, nor stemmed to `mini`.
    let mini = search("mini");
    assert_eq!(titles(&mini), ["Raad Landsmeer wil fusie met Waterland"]);
    assert!(search("ministers")["total"].as_u64().unwrap() >= 2);
}

#[test]
fn typos_are_corrected_by_what_people_write_most() {
    // Both `Verstappen` (three articles) and `Verstapen` (one) are an edit away.
    let result = search("Verstpapen");
    assert_eq!(result["corrected"], "Verstappen");
    assert_eq!(result["total"], search("Verstappen")["total"]);
    assert_eq!(
        result["did_you_mean"],
        serde_json::json!([{"query": "Verstapen", "total": 1}])
    );
    assert_eq!(search("Wildrs")["corrected"], "Wilders");
    // A hyphenated pair that no article has as such is two words.
    let hyphenated = search("Verstappen-Bahrein");
    assert_eq!(hyphenated["any_word"], true);
    assert!(rank_of(&hyphenated, "Verstappen start vanaf pole in Bahrein") == Some(0));
    // The Dutch spelling of a foreign name counts as one edit.
    assert_eq!(search("Putin")["corrected"], "Poetin");
    // The footer names the query the hits answer.
    let output = indexed().run(&["search", "Verstpapen"]).output().unwrap();
    let text = stdout(&output);
    assert!(
        text.starts_with("no results for \"Verstpapen\"; showing results for \"Verstappen\"\n"),
        "{text}"
    );
    assert!(
        text.contains("did you mean \"Verstapen\" (1 article)?"),
        "{text}"
    );
    assert!(text.contains("articles match \"Verstappen\""), "{text}");
}

//! `dateline follow`: saved searches show what came into the index since they were last
//! shown, through the binary.

use crate::util::{Sandbox, stderr, stdout};
use serde_json::Value;

/// A front page: a lead article, and a wire item with its age in "Meer uit Buitenland".
fn front_page(lead_title: &str, lead_body: &str, item_age: &str) -> String {
    format!(
        "{lead_title}\nDEN HAAG (ANP) - {lead_body}\nMeer uit Buitenland\nANP IJsbrekers vrijgemaakt in Finse Golf\nHELSINKI (ANP/RTR) - Finse ijsbrekers hebben dinsdag vastgelopen vrachtschepen in de Finse Golf vrijgemaakt. De zee is door de aanhoudende kou voor het eerst in jaren vrijwel geheel dichtgevroren.\n{item_age}\n"
    )
}

/// `follow --json`: the objects, one per saved search.
fn follow_json(sandbox: &Sandbox, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["follow", "--json"];
    all.extend_from_slice(args);
    sandbox
        .run_ok(&all)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect()
}

fn titles(hits: &Value) -> Vec<String> {
    hits.as_array()
        .expect("hits")
        .iter()
        .map(|hit| hit["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_new_story_is_shown_once_and_a_wire_item_seen_again_is_not_new() {
    let sandbox = Sandbox::new();
    sandbox.write_page(
        "ochtend.txt",
        front_page(
            "Kabinet presenteert plan voor dijken",
            "Het kabinet trekt de komende tien jaar miljarden uit voor het versterken van de dijken langs de grote rivieren.",
            "7 minuten geleden",
        ),
    );
    sandbox.index_pages();
    sandbox.run_ok(&["follow", "add", "ijs", "ijsbrekers OR dijken"]);
    let first = follow_json(&sandbox, &[]);
    assert_eq!(first.len(), 1);
    assert_eq!(first[0]["name"], "ijs");
    assert_eq!(titles(&first[0]["new"]), Vec::<String>::new());

    // A later page: a new lead, and the same wire item with a new age.
    sandbox.write_page(
        "middag.txt",
        front_page(
            "Waterschappen willen meer geld voor dijken",
            "De waterschappen vragen het kabinet om extra geld, omdat de kosten van het versterken van de dijken sterk zijn gestegen.",
            "2 uur geleden",
        ),
    );
    sandbox.index_pages();
    let peeked = follow_json(&sandbox, &["--peek"]);
    assert_eq!(
        titles(&peeked[0]["new"]),
        vec!["Waterschappen willen meer geld voor dijken"]
    );
    // The item is on both pages, one story, not new.
    let item = sandbox.search_json(&["ijsbrekers"]);
    assert_eq!(item["total"], 1);
    assert_eq!(item["hits"][0]["sources"].as_array().unwrap().len(), 2);

    // --peek did not remember; this showing does, once.
    let shown = follow_json(&sandbox, &["ijs"]);
    assert_eq!(titles(&shown[0]["new"]), titles(&peeked[0]["new"]));
    assert_eq!(titles(&shown[0]["updated"]), Vec::<String>::new());
    assert!(shown[0]["new"][0]["first_indexed"].is_string());
    let again = follow_json(&sandbox, &["ijs"]);
    assert_eq!(titles(&again[0]["new"]), Vec::<String>::new());

    let human = sandbox.run_ok(&["follow"]);
    assert!(
        human.starts_with("ijs (ijsbrekers OR dijken): nothing new since "),
        "{human}"
    );
}

#[test]
fn a_story_whose_body_changed_under_the_same_headline_is_shown_once_as_updated() {
    let sandbox = Sandbox::new();
    let headline = "Brand in haven van Rotterdam onder controle";
    let page = |body: &str| format!("{headline}\nROTTERDAM (ANP) - {body}\n");
    sandbox.write_page(
        "brand.txt",
        page("In de haven van Rotterdam is dinsdagochtend een grote brand uitgebroken in een loods met autobanden."),
    );
    sandbox.index_pages();
    sandbox.run_ok(&["follow", "add", "haven", "brand", "--city", "Rotterdam"]);

    // The page saved again with the story grown: a new body, the same headline and city.
    sandbox.write_page(
        "brand.txt",
        page("In de haven van Rotterdam is dinsdagochtend een grote brand uitgebroken in een loods met autobanden. De brandweer heeft het vuur rond het middaguur onder controle gekregen."),
    );
    sandbox.index_pages();
    let shown = follow_json(&sandbox, &[]);
    assert_eq!(titles(&shown[0]["new"]), Vec::<String>::new());
    assert_eq!(titles(&shown[0]["updated"]), vec![headline]);
    assert_eq!(shown[0]["filters"]["city"][0], "Rotterdam");
    let human = sandbox.run_ok(&["follow", "--peek"]);
    assert!(human.contains("nothing new"), "{human}");

    // A second page with another headline is new, not updated.
    sandbox.write_page(
        "nablussen.txt",
        "Nablussen in Rotterdamse haven duurt dagen\nROTTERDAM (ANP) - Het nablussen van de brand in de loods met autobanden gaat nog dagen duren, zegt de brandweer.\n",
    );
    sandbox.index_pages();
    let shown = follow_json(&sandbox, &[]);
    assert_eq!(
        titles(&shown[0]["new"]),
        vec!["Nablussen in Rotterdamse haven duurt dagen"]
    );
    assert_eq!(titles(&shown[0]["updated"]), Vec::<String>::new());
}

#[test]
fn two_follow_runs_at_once_share_out_what_is_new() {
    let sandbox = Sandbox::new();
    sandbox.write_page(
        "a.txt",
        "Eerste bericht\nUTRECHT (ANP) - De provincie Utrecht opent een nieuwe fietssnelweg tussen de stad en Amersfoort.\n",
    );
    sandbox.index_pages();
    sandbox.run_ok(&["follow", "add", "fiets", "fietssnelweg"]);
    for n in 0..6 {
        sandbox.write_page(
            &format!("nieuw-{n}.txt"),
            format!(
                "Bericht nummer {n} over de fietssnelweg\nUTRECHT (ANP) - Over de fietssnelweg naar Amersfoort is bericht {n} verschenen met nieuws uit wijk {n}.\n"
            ),
        );
    }
    sandbox.index_pages();
    let runs: Vec<std::process::Child> = (0..2)
        .map(|_| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("dateline"))
                .args(["follow", "--json", "--index"])
                .arg(sandbox.index())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut seen: Vec<String> = Vec::new();
    for run in runs {
        let output = run.wait_with_output().unwrap();
        assert!(output.status.success());
        for line in stdout(&output).lines() {
            let one: Value = serde_json::from_str(line).unwrap();
            seen.extend(titles(&one["new"]));
        }
    }
    seen.sort();
    let expected: Vec<String> = (0..6)
        .map(|n| format!("Bericht nummer {n} over de fietssnelweg"))
        .collect();
    assert_eq!(seen, expected, "each new story once, none lost");
}

#[test]
fn saved_searches_are_listed_removed_and_refused_with_a_message() {
    let sandbox = Sandbox::new();
    sandbox.write_page(
        "a.txt",
        "Nieuwe burgemeester\nGRONINGEN (ANP) - De gemeenteraad van Groningen heeft een nieuwe burgemeester voorgedragen.\n",
    );
    sandbox.index_pages();
    let added = sandbox.run_ok(&[
        "follow",
        "add",
        "groningen",
        "burgemeester",
        "--since",
        "7d",
    ]);
    assert!(
        added.contains("saved 'groningen' (burgemeester --since 7d)"),
        "{added}"
    );
    let listed = sandbox.run_ok(&["follow", "list", "--json"]);
    let listed: Value = serde_json::from_str(listed.trim()).unwrap();
    assert_eq!(listed["name"], "groningen");
    assert_eq!(listed["filters"]["since"], "7d");

    for (args, message) in [
        (
            vec!["follow", "add", "groningen", "x"],
            "a saved search named 'groningen' exists",
        ),
        (
            vec!["follow", "add", "a b", "x"],
            "cannot name a saved search",
        ),
        (
            vec!["follow", "add", "leeg", "(("],
            "has no words to search for",
        ),
        (
            vec!["follow", "onbekend"],
            "no saved search named 'onbekend'; saved: groningen",
        ),
        (
            vec!["follow", "rm", "onbekend"],
            "no saved search named 'onbekend'",
        ),
    ] {
        let output = sandbox.run(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let error = stderr(&output);
        assert!(error.contains(message), "{args:?}: {error}");
        assert_eq!(error.lines().count(), 1, "{error}");
    }
    let missing = crate::util::dateline()
        .args(["follow", "--index"])
        .arg(sandbox.dir.path().join("geen-index"))
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).starts_with("dateline: no index at"));
    let removed = sandbox.run_ok(&["follow", "rm", "groningen"]);
    assert!(removed.starts_with("removed 'groningen'"), "{removed}");
    assert!(
        sandbox
            .run_ok(&["follow", "list"])
            .starts_with("no saved searches")
    );
}

#[test]
fn saved_searches_outlive_a_rebuild_and_count_from_it() {
    let sandbox = Sandbox::new();
    sandbox.write_page(
        "a.txt",
        "Nieuwe burgemeester\nGRONINGEN (ANP) - De gemeenteraad van Groningen heeft een nieuwe burgemeester voorgedragen.\n",
    );
    sandbox.index_pages();
    sandbox.run_ok(&["follow", "add", "groningen", "burgemeester"]);
    let output = sandbox
        .run(&["index", "--rebuild"])
        .arg(sandbox.pages())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    // Every story of the new index came in after the mark, but none is news.
    let shown = follow_json(&sandbox, &[]);
    assert_eq!(shown[0]["restarted"], true);
    assert_eq!(titles(&shown[0]["new"]), Vec::<String>::new());
    let shown = follow_json(&sandbox, &[]);
    assert_eq!(shown[0]["restarted"], false);
}

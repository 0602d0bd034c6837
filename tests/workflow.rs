//! A journalist's workflow (issue 13): read an article whole (`show`), take every match
//! elsewhere (`export`), see when a story broke (`timeline`), and dates as people write
//! them.

use crate::util::{Sandbox, indexed_fixtures, repo, stderr, stdout};
use serde_json::Value;
use std::collections::BTreeSet;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A saved page that states its publication time.
fn page(title: &str, dateline: &str, text: &str, published: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <meta property=\"article:published_time\" content=\"{published}\"></head>\
         <body><article><h1>{title}</h1><p>{dateline} - {text}</p></article></body></html>"
    )
}

fn total(sandbox: &Sandbox, args: &[&str]) -> u64 {
    sandbox.search_json(args)["total"].as_u64().unwrap()
}

/// The same wire story saved on three pages: `show` lists all three, as absolute paths,
/// by the id search prints or a prefix of it.
#[test]
fn show_reads_a_story_whole_with_every_page_it_is_on() {
    let sandbox = Sandbox::new();
    let text = "De gemeente opent volgend jaar een nieuwe brug over de Maas. De bouw kost twaalf miljoen euro en duurt twee jaar.";
    for (name, title) in [
        ("maasbode/brug.html", "Nieuwe brug over de Maas"),
        ("rivierkrant/brug.html", "Brug over Maas komt er"),
        ("archief/2026/brug.html", "Nieuwe Maasbrug"),
    ] {
        sandbox.write_page(
            name,
            page(title, "VENLO (ANP)", text, "2026-02-10T09:00:00+01:00"),
        );
    }
    sandbox.index_pages();
    let found = sandbox.search_json(&["Maasbrug"]);
    assert_eq!(found["total"], 1, "{found}");
    let id = found["hits"][0]["id"].as_str().unwrap().to_string();

    let shown: Value =
        serde_json::from_str(&sandbox.run_ok(&["show", &id[..8], "--json"])).unwrap();
    assert_eq!(shown["id"], id.as_str());
    assert_eq!(shown["city"], "Venlo");
    assert_eq!(shown["time_source"], "page");
    assert_eq!(shown["body"], text);
    let pages: Vec<String> = serde_json::from_value(shown["pages"].clone()).unwrap();
    assert_eq!(pages.len(), 3, "{pages:?}");
    let root = std::fs::canonicalize(sandbox.pages()).unwrap();
    for name in [
        "maasbode/brug.html",
        "rivierkrant/brug.html",
        "archief/2026/brug.html",
    ] {
        let expected = root.join(name).to_string_lossy().into_owned();
        assert!(pages.contains(&expected), "{expected} not in {pages:?}");
    }
    // The search hit's fields are all there, with the text, pages and URLs.
    for key in [
        "title",
        "agencies",
        "published",
        "outlet",
        "sources",
        "urls",
    ] {
        assert!(shown.get(key).is_some(), "{key} missing: {shown}");
    }

    // For people: the text whole, the pages, the time in Amsterdam time.
    let human = sandbox.run_ok(&["show", &id]);
    assert!(human.contains(text), "{human}");
    assert!(human.contains("found on 3 pages:"), "{human}");
    assert!(human.contains("2026-02-10 09:00 CET"), "{human}");
    assert!(
        human.contains(
            &root
                .join("rivierkrant/brug.html")
                .to_string_lossy()
                .into_owned()
        )
    );
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn show_refuses_ids_it_cannot_resolve() {
    let sandbox = indexed_fixtures();
    for (id, says) in [
        ("4d2ac", "is not an article id"),
        ("zzzzzzzz", "is not an article id"),
        ("000000", "no article has the id"),
    ] {
        let output = sandbox.run(&["show", id]).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{id}");
        assert!(stderr(&output).contains(says), "{id}: {}", stderr(&output));
    }
    // Several ids: each article in turn.
    let output = sandbox
        .run(&["show", "4d2aca", "84cc72", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output).lines().count(), 2);
}

/// Every match, one per line: as many lines as search's total, with and without
/// filters, as JSON lines and as CSV; the CSV reads back with its header and quoting.
#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn export_prints_every_match_and_as_many_as_search_counts() {
    let sandbox = indexed_fixtures();
    for args in [
        vec!["*"],
        vec!["Oekraine"],
        vec!["*", "--agency", "ANP", "--section", "Buitenland"],
        vec!["Verstpapen"],
    ] {
        let expected = total(sandbox, &args);
        assert!(expected > 0, "{args:?}");
        let mut export = vec!["export"];
        export.extend(&args);
        let lines = sandbox.run_ok(&export);
        let articles: Vec<Value> = lines
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        assert_eq!(articles.len() as u64, expected, "{args:?}");
        let ids: BTreeSet<&str> = articles.iter().map(|a| a["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), articles.len(), "an article twice: {args:?}");
        assert!(
            articles
                .iter()
                .all(|a| a["body"].as_str().is_some_and(|b| !b.is_empty()))
        );

        export.extend(["--format", "csv"]);
        let table = sandbox.run_ok(&export);
        let mut reader = csv::Reader::from_reader(table.as_bytes());
        let header = reader.headers().unwrap().clone();
        assert_eq!(&header[0], "id");
        assert_eq!(&header[header.len() - 1], "body");
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len() as u64, expected, "{args:?}");
        // Bodies with quotes, commas and line breaks come back as they went out.
        for (row, article) in rows.iter().zip(&articles) {
            assert_eq!(&row[0], article["id"].as_str().unwrap());
            assert_eq!(&row[header.len() - 1], article["body"].as_str().unwrap());
        }
        assert!(
            rows.iter().any(|r| r[header.len() - 1].contains('\n')),
            "no body with a line break to test the quoting on"
        );
    }
}

/// Export keeps search's order: '*' newest first, `--sort oldest` the other way round.
#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn export_and_search_share_their_order() {
    let sandbox = indexed_fixtures();
    let times = |args: &[&str]| -> Vec<String> {
        sandbox
            .run_ok(args)
            .lines()
            .map(|line| {
                let article: Value = serde_json::from_str(line).unwrap();
                article["published"].as_str().unwrap().to_string()
            })
            .collect()
    };
    let newest_first = times(&["export", "*"]);
    let mut sorted = newest_first.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(newest_first, sorted);
    let mut oldest_first = times(&["export", "*", "--sort", "oldest"]);
    oldest_first.reverse();
    assert_eq!(oldest_first, sorted);
    // The first page of search is the start of the export.
    let page = sandbox.search_json(&["Oekraine", "--limit", "3"]);
    let exported: Vec<String> = sandbox
        .run_ok(&["export", "Oekraine"])
        .lines()
        .take(3)
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let searched: Vec<String> = page["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(exported, searched);
}

/// Pages around the night the clocks go forward (29 March 2026, 02:00 CET → 03:00 CEST),
/// and around midnight in Amsterdam on either side.
fn dst_sandbox() -> Sandbox {
    let sandbox = Sandbox::new();
    for (name, published) in [
        // 28 March, 23:30 in Amsterdam (CET).
        ("a.html", "2026-03-28T22:30:00Z"),
        // 29 March, 00:30 in Amsterdam (CET): the 29th, though the 28th in UTC.
        ("b.html", "2026-03-28T23:30:00Z"),
        // 29 March, 23:30 in Amsterdam (CEST).
        ("c.html", "2026-03-29T21:30:00Z"),
        // 30 March, 00:30 in Amsterdam (CEST): the 30th, though the 29th in UTC.
        ("d.html", "2026-03-29T22:30:00Z"),
        ("e.html", "2026-04-02T10:00:00Z"),
    ] {
        sandbox.write_page(
            name,
            page(
                &format!("Nachtelijke storing {name}"),
                "UTRECHT (ANP)",
                &format!("Een storing legde het treinverkeer stil, meldt bericht {name}."),
                published,
            ),
        );
    }
    sandbox.index_pages();
    sandbox
}

#[test]
fn days_months_and_years_are_amsterdam_time_across_a_dst_change() {
    let sandbox = dst_sandbox();
    let days = |since: &str, until: &str| {
        total(&sandbox, &["storing", "--since", since, "--until", until])
    };
    assert_eq!(days("2026-03-28", "2026-03-28"), 1);
    assert_eq!(days("2026-03-29", "2026-03-29"), 2);
    assert_eq!(days("2026-03-30", "2026-03-30"), 1);
    assert_eq!(days("2026-03", "2026-03"), 4);
    assert_eq!(days("2026-04", "2026"), 1);
    assert_eq!(days("2026", "2026"), 5);
    assert_eq!(
        total(&sandbox, &["storing", "--until", "2026-03-29T21:30:00Z"]),
        3
    );

    let timeline: Value =
        serde_json::from_str(&sandbox.run_ok(&["timeline", "storing", "--by", "day", "--json"]))
            .unwrap();
    let buckets: Vec<(String, u64)> = timeline["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["start"].as_str().unwrap().to_string(),
                b["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        buckets,
        [
            ("2026-03-28".to_string(), 1),
            ("2026-03-29".to_string(), 2),
            ("2026-03-30".to_string(), 1),
            ("2026-03-31".to_string(), 0),
            ("2026-04-01".to_string(), 0),
            ("2026-04-02".to_string(), 1),
        ]
    );
    // People read Amsterdam time; scripts get UTC.
    let human = sandbox.run_ok(&["search", "storing", "--sort", "oldest", "--limit", "2"]);
    assert!(human.contains("2026-03-28 23:30 CET"), "{human}");
    assert!(human.contains("2026-03-29 00:30 CET"), "{human}");
    let json = sandbox.search_json(&["storing", "--sort", "oldest", "--limit", "1"]);
    assert_eq!(json["hits"][0]["published"], "2026-03-28T22:30:00Z");
}

/// `7d`, `24h`, `2w`: that long before now.
#[test]
fn relative_dates_count_back_from_now() {
    let sandbox = Sandbox::new();
    let now = OffsetDateTime::now_utc();
    for (name, hours_ago) in [
        ("uur.html", 2),
        ("dagen.html", 3 * 24),
        ("weken.html", 10 * 24),
    ] {
        let published = (now - time::Duration::hours(hours_ago))
            .format(&Rfc3339)
            .unwrap();
        sandbox.write_page(
            name,
            page(
                &format!("Waterstand stijgt {name}"),
                "NIJMEGEN (ANP)",
                &format!("Het water in de Waal stijgt verder, meldt bericht {name}."),
                &published,
            ),
        );
    }
    sandbox.index_pages();
    assert_eq!(total(&sandbox, &["waterstand", "--since", "24h"]), 1);
    assert_eq!(total(&sandbox, &["waterstand", "--since", "7d"]), 2);
    assert_eq!(total(&sandbox, &["waterstand", "--since", "2w"]), 3);
    assert_eq!(total(&sandbox, &["waterstand", "--until", "7d"]), 1);
    let output = sandbox
        .run(&["search", "waterstand", "--since", "gisteren"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("2019-05-14"),
        "{}",
        stderr(&output)
    );
}

/// Buckets add up to the total, empty periods count zero, and a split counts each
/// period's matches per value.
#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn timeline_buckets_add_up_to_the_total() {
    let sandbox = indexed_fixtures();
    for args in [
        vec!["*"],
        vec!["*", "--by", "week"],
        vec!["*", "--by", "day", "--since", "2026-01-01"],
        vec!["Oekraine", "--by", "year"],
        vec!["*", "--agency", "ANP", "--by", "month", "--split", "agency"],
    ] {
        let mut command = vec!["timeline", "--json"];
        command.extend(&args);
        let timeline: Value = serde_json::from_str(&sandbox.run_ok(&command)).unwrap();
        // The same search without the timeline's own flags.
        let mut search_args = Vec::new();
        let mut rest = args.iter().copied();
        while let Some(arg) = rest.next() {
            if arg == "--by" || arg == "--split" {
                rest.next();
            } else {
                search_args.push(arg);
            }
        }
        let expected = total(sandbox, &search_args);
        assert_eq!(timeline["total"], expected, "{args:?}");
        let buckets = timeline["buckets"].as_array().unwrap();
        let sum: u64 = buckets.iter().map(|b| b["count"].as_u64().unwrap()).sum();
        assert_eq!(
            sum + timeline["undated"].as_u64().unwrap(),
            expected,
            "{args:?}"
        );
        if args.contains(&"week") {
            // The fixtures state times from 2019 to today: weeks between are empty.
            assert!(buckets.iter().any(|b| b["count"] == 0), "no empty week");
        }
        let starts: Vec<&str> = buckets
            .iter()
            .map(|b| b["start"].as_str().unwrap())
            .collect();
        let mut sorted = starts.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(starts, sorted, "{args:?}");
    }
    let split: Value = serde_json::from_str(&sandbox.run_ok(&[
        "timeline", "*", "--agency", "ANP", "--split", "agency", "--by", "month", "--json",
    ]))
    .unwrap();
    for bucket in split["buckets"].as_array().unwrap() {
        // Every match has ANP among its agencies.
        assert_eq!(
            bucket["split"]
                .get("ANP")
                .cloned()
                .unwrap_or(Value::from(0)),
            bucket["count"]
        );
    }
    let bars = sandbox.run_ok(&["timeline", "Oekraine", "--by", "year"]);
    assert!(bars.contains('█'), "{bars}");
    assert!(
        bars.contains("5 articles match \"Oekraine\", by year"),
        "{bars}"
    );
}

/// What a newcomer met: numbering, plurals, which filter left nothing, a folder of
/// pages given as the index, title matches marked, ids under each hit.
#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn small_things_a_newcomer_met() {
    let sandbox = indexed_fixtures();
    let second_page = sandbox.run_ok(&["search", "Oekraine", "--limit", "2", "--offset", "2"]);
    assert!(second_page.starts_with("3. "), "{second_page}");
    assert!(second_page.contains("\n4. "), "{second_page}");
    assert!(second_page.contains("(showing 3–4)"), "{second_page}");

    let one = sandbox.run_ok(&["search", "ontmijners"]);
    assert!(one.contains("1 article matches"), "{one}");

    let filtered = sandbox.run_ok(&["search", "Peskov", "--agency", "BELGA"]);
    assert!(
        filtered.contains("no articles match \"Peskov\""),
        "{filtered}"
    );
    assert!(
        filtered.contains("2 articles match without --agency BELGA"),
        "{filtered}"
    );
    let json = sandbox.search_json(&["Peskov", "--agency", "BELGA", "--city", "Moskou"]);
    assert_eq!(
        json["without_filters"],
        serde_json::json!([
            {"filter": "--agency BELGA", "total": 1},
            {"filter": "--city Moskou", "total": 0}
        ])
    );

    let hits = sandbox.run_ok(&["search", "Peskov"]);
    assert!(hits.contains("· 4d2aca5245d14b88"), "{hits}");

    let output = crate::util::dateline()
        .args(["search", "Peskov", "--index"])
        .arg(repo().join("fixtures"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("is not a dateline index"),
        "{}",
        stderr(&output)
    );
}

#[test]
#[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
fn title_matches_are_marked() {
    let index = dateline::index::open(&indexed_fixtures().index()).unwrap();
    let hits =
        dateline::search::run(&index, &dateline::search::Request::new("ontmijners")).unwrap();
    let hit = &hits.hits[0];
    assert_eq!(hit.title, "België stuurt ontmijners naar Oekraïne");
    let marked: Vec<&str> = hit
        .title_highlights
        .iter()
        .map(|r| &hit.title[r.clone()])
        .collect();
    assert_eq!(marked, ["ontmijners"]);
}

#[test]
fn extract_reads_folders_as_index_does() {
    let output = crate::util::dateline()
        .args(["extract", "--json"])
        .arg(repo().join("fixtures/opgeslagen"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let articles: Vec<Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(articles.len(), 1);
    assert_eq!(
        articles[0]["title"],
        "Wall Street sluit lager na zwakke banencijfers"
    );
    assert!(
        stderr(&output).contains("2 files or folders left out"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn completions_and_a_manual_page_come_from_the_command_line_definition() {
    for (shell, says) in [
        ("bash", "_dateline()"),
        ("zsh", "#compdef dateline"),
        ("fish", "complete -c dateline"),
    ] {
        let output = crate::util::dateline()
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(output.status.success(), "{shell}");
        let script = stdout(&output);
        assert!(script.contains(says), "{shell}: {script:.200}");
        assert!(script.contains("timeline"), "{shell}");
    }
    let output = crate::util::dateline().arg("man").output().unwrap();
    assert!(output.status.success());
    let page = stdout(&output);
    assert!(
        page.starts_with(".ie") || page.contains(".TH dateline"),
        "{page:.200}"
    );
    assert!(page.contains("export"), "{page:.300}");
}

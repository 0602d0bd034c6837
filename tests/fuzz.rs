//! Property tests (proptest) of the two paths that take untrusted input: the extractor
//! (any bytes, and page-shaped text made of the pieces real pages have) and the query
//! path (any string). Neither may panic. `PROPTEST_CASES=100000 cargo test --release
//! --test tests fuzz` runs a longer campaign than CI's default.

use dateline::extract::{self, Page};
use dateline::search::{self, Request};
use proptest::prelude::*;
use std::sync::OnceLock;

/// CI's number of cases, or `PROPTEST_CASES` for a longer campaign.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

fn page(bytes: Vec<u8>, name: &str) -> Page {
    Page {
        path: name.into(),
        bytes,
        modified: Some(time::OffsetDateTime::UNIX_EPOCH),
    }
}

/// Lines of the kinds a saved page has, glued together at random.
fn page_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Z' .-]{1,30} \\([A-Z0-9/]{0,12}\\) [-–—] [a-zA-Zëï .,]{0,60}",
        "[A-Z]{2,12} - [a-z ]{0,40}",
        "[0-9]{1,25} (minuut|minuten|uur|dag|dagen|week|weken|maand|maanden|jaar) geleden",
        "gisteren",
        "Meer uit [A-Za-z]{0,20}",
        "(maandag|dinsdag) [0-9]{1,2} (januari|februari|november) [0-9]{1,5}",
        "</?(div|p|li|ul|h1|h2|time|script|article|nav)( class=\"age\")?>",
        "<meta property=\"article:published_time\" content=\"[0-9T:+Z-]{0,30}\">",
        "ANP [A-Z][a-z ]{0,30}",
        "\\PC{0,80}",
        Just(String::new()),
    ]
}

fn page_text() -> impl Strategy<Value = String> {
    prop::collection::vec((page_piece(), prop_oneof!["\n", "", " "]), 0..40)
        .prop_map(|parts| parts.into_iter().map(|(piece, sep)| piece + &sep).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(2_000), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn extractor_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2_000), html in any::<bool>()) {
        let name = if html { "p.html" } else { "p.txt" };
        let _ = extract::articles(&page(bytes, name));
    }

    #[test]
    fn extractor_reads_page_shaped_text_sensibly(text in page_text(), html in any::<bool>()) {
        let name = if html { "p.html" } else { "p.txt" };
        if let Ok(articles) = extract::articles(&page(text.into_bytes(), name)) {
            for article in articles {
                prop_assert!(!article.lang.is_empty());
                // DESIGN.md: a lead article never carries an age.
                if article.kind == extract::Kind::Lead {
                    prop_assert!(article.age.is_none());
                }
            }
        }
    }
}

fn fuzz_index() -> &'static tantivy::Index {
    static INDEX: OnceLock<(tempfile::TempDir, tantivy::Index)> = OnceLock::new();
    let (_, index) = INDEX.get_or_init(|| {
        let sandbox = tempfile::tempdir().unwrap();
        let pages = sandbox.path().join("pages");
        std::fs::create_dir_all(&pages).unwrap();
        std::fs::copy(crate::util::seed_page(), pages.join("seed.txt")).unwrap();
        let dir = sandbox.path().join("index");
        dateline::index::update(
            &dir,
            &[pages],
            &dateline::index::Options::default(),
            &mut |_| {},
        )
        .unwrap();
        let index = dateline::index::open(&dir).unwrap();
        (sandbox, index)
    });
    index
}

fn query_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-zA-Zëï]{1,10}",
        Just("\"".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("-".to_string()),
        Just("+".to_string()),
        Just("*".to_string()),
        Just("OR".to_string()),
        Just("AND".to_string()),
        Just("title:".to_string()),
        Just("body:".to_string()),
        Just("nosuch:".to_string()),
        Just("~2".to_string()),
        Just("^3".to_string()),
        Just("[a TO z]".to_string()),
        Just("'".to_string()),
        Just("’".to_string()),
        Just("auto's".to_string()),
        Just("'s-".to_string()),
        Just(":".to_string()),
        Just("“".to_string()),
        Just("„".to_string()),
        Just("or".to_string()),
        Just("--".to_string()),
        Just("-(".to_string()),
        Just("de".to_string()),
        "\\PC{1,5}",
    ];
    prop::collection::vec((piece, prop_oneof![" ", ""]), 0..12)
        .prop_map(|parts| parts.into_iter().map(|(p, s)| p + &s).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(1_000), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    #[cfg_attr(not(has_shared), ignore = "needs ../shared beside the repo")]
    fn query_path_never_panics(query in query_text(), agency in "[A-Za-z]{0,4}") {
        let mut request = Request::new(&query);
        if !agency.is_empty() {
            request.agencies.push(agency);
        }
        match search::run(fuzz_index(), &request) {
            Ok(hits) => prop_assert!(hits.hits.len() <= hits.total),
            Err(error) => {
                prop_assert!(
                    error.chain().any(|e| e.is::<dateline::UsageError>()),
                    "not a usage error: {error:#}"
                );
                // Only our own messages, never tantivy's.
                let message = format!("{error:#}");
                prop_assert!(
                    message.starts_with("empty query")
                        || message.contains("needs a word, a \"phrase\" or (words) right after it")
                        || message.contains("has no words to search for"),
                    "{message}"
                );
            }
        }
    }

    /// Every text parses, but a field prefix with nothing after it.
    #[test]
    fn every_query_parses_or_gets_our_message(query in query_text()) {
        match search::query::parse(&query) {
            Ok(_) => {}
            Err(error) => prop_assert!(error.0.contains("needs a word"), "{error}"),
        }
    }
}

//! Saved HTML pages (DESIGN.md, "HTML pages"): chrome dropped, the headline from `<h1>`
//! (else `<title>`), a publication time from the page's metadata, other encodings than
//! UTF-8 decoded, and then the rules of text pages. The pages are in `fixtures/html/`;
//! tests/fixtures.md ("HTML pages") says what each one holds.

use crate::util::{Sandbox, repo, seed_time};
use dateline::clock::rfc3339;
use dateline::extract::{self, Article, Kind, Page, PageError};
use std::fs;

/// The fixture pages that are pages (all but the binary `plaatje.html`).
const PAGES: &[&str] = &[
    "chrome-rondom-artikel.html",
    "kop-h1-niet-title.html",
    "kop-uit-title.html",
    "kop-in-article-header.html",
    "tijd-meta.html",
    "tijd-time-element.html",
    "tijd-json-ld.html",
    "windows-1252-met-charset.html",
    "windows-1252-zonder-charset.html",
    "utf8-bom.html",
    "charset-liegt.html",
    "meer-uit-lijst.html",
    "meer-uit-divs.html",
    "overzicht-dagen.html",
    "subkop-jaar-geleden.html",
    "bron-og-url.html",
    "bron-mhtml.mhtml",
];

/// Text of site chrome on the fixture pages (headers, navigation, asides, forms, footers,
/// cookie banners, scripts, styles, `<title>` suffixes): none of it may reach an article.
const CHROME: &[&str] = &[
    // chrome-rondom-artikel.html
    "Polderbode",
    "Webmail",
    "Inloggen",
    "Word abonnee",
    "Lees ook",
    "Schippers klagen",
    "natte akkers",
    "polderAdvertentie",
    "polderStatistiek",
    "line-height",
    "display: none",
    "Dijken",
    "Jouw reactie",
    "Schrijf hier",
    "Plaats reactie",
    "Meest gelezen",
    "ijsbaan",
    "bakkerij",
    "Alle rechten voorbehouden",
    "nieuwsbrief",
    "Colofon",
    "cookies",
    "Alles accepteren",
    "Instellingen aanpassen",
    "getElementById",
    // the other pages
    "Noordernieuws",
    "Tips?",
    "Voorpagina",
    "Zutphen",
    "Stedendriehoek",
    "Havenpost",
    "Scheepvaart",
    "Stadsblad",
    "Kustkrant",
    "Wadkrant",
    "Natuur",
    "@graph",
    "schema.org",
    "Grensland Nieuws",
    "Maasland Actueel",
    "Scheldebode",
    "Kies je webmail",
    "Editie:",
    "Zeeuwse Koerier",
    "Home",
    "statistiek.js",
    "Geldzaken Vandaag",
    " | ",
    " - Noordernieuws",
    // overzicht-dagen.html, subkop-jaar-geleden.html, bron-mhtml.mhtml: furniture too
    "Duinbode",
    "Door Anke",
    "Foto:",
    "Deel dit",
    "Spaarnebode",
];

fn page(name: &str) -> Page {
    Page {
        path: name.into(),
        bytes: fs::read(repo().join("fixtures/html").join(name)).unwrap(),
        // 2026-01-25T12:00:00Z: the page time of pages that state none.
        modified: Some(seed_time().into()),
    }
}

fn read(name: &str) -> Vec<Article> {
    extract::articles(&page(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// One line per article: kind | title | city | agencies | section | age | published | lang,
/// with `-` for a missing value.
fn summary(article: &Article) -> String {
    let or_dash = |value: Option<&str>| value.unwrap_or("-").to_string();
    let agencies = if article.agencies.is_empty() {
        "-".to_string()
    } else {
        article.agencies.join("/")
    };
    [
        article.kind.as_str().to_string(),
        article.title.clone(),
        or_dash(article.city.as_deref()),
        agencies,
        or_dash(article.section.as_deref()),
        or_dash(article.age.as_ref().map(|age| age.text.as_str())),
        article.published.map_or("-".to_string(), rfc3339),
        article.lang.clone(),
    ]
    .join(" | ")
}

fn summaries(name: &str) -> Vec<String> {
    read(name).iter().map(summary).collect()
}

#[test]
fn chrome_around_and_inside_the_article_is_dropped() {
    let articles = read("chrome-rondom-artikel.html");
    assert_eq!(
        articles.iter().map(summary).collect::<Vec<_>>(),
        [
            "lead | Waterschap versterkt dijk langs de IJssel bij Kampen | Kampen | ANP | - | - | 2026-01-25T12:00:00Z | nl"
        ]
    );
    assert_eq!(
        articles[0].body,
        "Het waterschap begint volgende maand met het versterken van ruim vier kilometer dijk langs de IJssel bij Kampen. De werkzaamheden moeten de stad beter beschermen tegen hoog water.\n\
         De dijk wordt op sommige plaatsen een meter verhoogd en aan de binnenkant breder gemaakt. Het fietspad op de kruin blijft tijdens het werk grotendeels open, maar op drukke dagen regelen verkeersregelaars het verkeer.\n\
         Volgens het waterschap is de versterking nodig omdat de rivier bij zware regenval stroomopwaarts sneller stijgt dan vroeger. Omwonenden kunnen hun vragen stellen op een inloopavond in het stadhuis.\n\
         Het werk kost ongeveer achttien miljoen euro en moet over twee jaar klaar zijn."
    );
}

#[test]
fn no_chrome_reaches_any_article() {
    for name in PAGES {
        for article in read(name) {
            for chrome in CHROME {
                assert!(
                    !article.body.contains(chrome),
                    "{name}: chrome {chrome:?} in the body of {:?}:\n{}",
                    article.title,
                    article.body
                );
                assert!(
                    !article.title.contains(chrome),
                    "{name}: chrome {chrome:?} in the title {:?}",
                    article.title
                );
            }
        }
    }
}

#[test]
fn headline_comes_from_h1_not_from_a_different_title() {
    assert_eq!(
        summaries("kop-h1-niet-title.html"),
        [
            "lead | Brandweer haalt paard uit ijskoude sloot bij Dokkum | Dokkum | ANP | - | - | 2026-01-25T12:00:00Z | nl"
        ]
    );
}

#[test]
fn title_stands_in_for_a_missing_h1() {
    let articles = read("kop-uit-title.html");
    assert_eq!(
        articles.iter().map(summary).collect::<Vec<_>>(),
        [
            "lead | Bibliotheek in Deventer verlengt openingstijden | Deventer | - | - | - | 2026-01-25T12:00:00Z | nl"
        ]
    );
    assert!(articles[0].has_headline);
    assert!(
        articles[0]
            .body
            .starts_with("De bibliotheek in het centrum van Deventer gaat vanaf maart"),
        "{}",
        articles[0].body
    );
}

#[test]
fn headline_in_the_articles_own_header_is_the_title() {
    // HTML5 pages often wrap the headline in <article><header>: that header is the
    // article's, not site chrome, and DESIGN.md takes the headline from <h1>.
    let articles = read("kop-in-article-header.html");
    assert_eq!(
        articles.iter().map(summary).collect::<Vec<_>>(),
        [
            "lead | Zeesluis bij IJmuiden twee maanden dicht voor onderhoud | Velsen | ANP | - | - | 2026-01-25T12:00:00Z | nl"
        ]
    );
    assert!(articles[0].has_headline);
}

#[test]
fn published_time_from_article_published_time_meta() {
    assert_eq!(
        summaries("tijd-meta.html"),
        [
            "lead | Studenten protesteren in Groningen tegen hogere huren | Groningen | ANP | - | - | 2026-01-21T13:05:00Z | nl"
        ]
    );
}

#[test]
fn published_time_from_a_time_element() {
    let articles = read("tijd-time-element.html");
    assert_eq!(articles.len(), 1);
    assert_eq!(articles[0].kind, Kind::Lead);
    assert_eq!(articles[0].city.as_deref(), Some("Terneuzen"));
    assert_eq!(articles[0].agencies, ["ANP"]);
    assert_eq!(
        articles[0].published.map(rfc3339).as_deref(),
        Some("2026-01-22T08:30:00Z")
    );
    assert!(
        articles[0]
            .body
            .starts_with("De veerpont tussen Terneuzen en Hoedekenskerke vaart"),
        "{}",
        articles[0].body
    );
}

#[test]
fn headline_is_the_h1_when_a_byline_stands_below_it() {
    // `<h1>…</h1><p class="byline">Door … · <time …>22 januari 2026, 09:30</time></p>`
    // then the dateline paragraph: DESIGN.md takes an HTML page's headline from <h1>.
    assert_eq!(
        summaries("tijd-time-element.html"),
        [
            "lead | Veerpont over de Westerschelde vaart weer na storing | Terneuzen | ANP | - | - | 2026-01-22T08:30:00Z | nl"
        ]
    );
    let articles = read("tijd-time-element.html");
    assert!(!articles[0].body.contains("verslaggever"));
    assert!(!articles[0].body.contains("09:30"));
}

#[test]
fn published_time_from_json_ld_in_a_graph() {
    assert_eq!(
        summaries("tijd-json-ld.html"),
        [
            "lead | Recordaantal zeehonden geteld in de Waddenzee | Den Helder | ANP | - | - | 2026-01-19T06:45:00Z | nl"
        ]
    );
}

#[test]
fn windows_1252_with_a_declared_charset_is_decoded() {
    let articles = read("windows-1252-met-charset.html");
    assert_eq!(
        articles.iter().map(summary).collect::<Vec<_>>(),
        [
            "lead | België en Nederland geven Oekraïne geld voor herstel van het stroomnet | Brussel | ANP/BELGA | Buitenland | - | 2026-01-25T12:00:00Z | nl",
            "item | Het bekende café op de hoek van het plein bij de Opéra gaat na honderdtwintig jaar dicht. | Parijs | ANP/AFP | Buitenland | 18 minuten geleden | 2026-01-25T11:42:00Z | nl",
            "item | Italië verbiedt plastic tasjes op stranden | Rome | ANP | Buitenland | 3 uur geleden | 2026-01-25T09:00:00Z | nl",
        ]
    );
    assert!(articles[0].body.starts_with(
        "België en Nederland trekken samen tachtig miljoen euro uit voor het herstel van het stroomnet in Oekraïne."
    ));
    assert!(articles[0].body.contains("De financiële steun"));
    assert!(articles[0].body.contains("genoeg ideeën"));
    assert!(articles[0].body.contains("\nEén van de eerste projecten"));
    assert_no_replacement_characters(&articles);
}

#[test]
fn windows_1252_without_a_charset_is_detected() {
    let articles = read("windows-1252-zonder-charset.html");
    assert_eq!(
        articles.iter().map(summary).collect::<Vec<_>>(),
        [
            "lead | Scholen in Oekraïne krijgen tweedehands schoolbussen uit Limburg | Venlo | ANP | - | - | 2026-01-25T12:00:00Z | nl"
        ]
    );
    assert!(articles[0].body.starts_with(
        "Een vervoerder uit Venlo schenkt twaalf tweedehands schoolbussen aan scholen in het westen van Oekraïne."
    ));
    assert!(articles[0].body.contains("in één lange colonne"));
    assert!(articles[0].body.contains("tijdens een reünie"));
    assert_no_replacement_characters(&articles);
}

#[test]
fn utf8_with_a_byte_order_mark() {
    let articles = read("utf8-bom.html");
    assert_eq!(
        articles.iter().map(summary).collect::<Vec<_>>(),
        [
            "lead | Maastrichts café viert honderdste verjaardag | Maastricht | ANP | - | - | 2026-01-25T12:00:00Z | nl"
        ]
    );
    assert!(articles[0].body.starts_with("Een café aan het Vrijthof"));
    assert!(!articles[0].title.contains('\u{FEFF}'));
    assert!(!articles[0].body.contains('\u{FEFF}'));
}

#[test]
fn valid_utf8_wins_over_a_charset_that_lies() {
    let articles = read("charset-liegt.html");
    assert_eq!(
        articles.iter().map(summary).collect::<Vec<_>>(),
        [
            "lead | België stuurt ontmijners naar Oekraïne | Antwerpen | BELGA/ANP | - | - | 2026-01-25T12:00:00Z | nl"
        ]
    );
    assert!(articles[0].body.starts_with(
        "België stuurt tien specialisten van het leger naar Oekraïne om daar mee te helpen"
    ));
    assert!(articles[0].body.contains("Oekraïense collega's"));
    assert!(articles[0].body.contains("Eén ploeg"));
    // Read as latin-1, "ë" would be "Ã«".
    assert!(!articles[0].body.contains('Ã'), "{}", articles[0].body);
}

fn assert_no_replacement_characters(articles: &[Article]) {
    for article in articles {
        assert!(
            !article.title.contains('\u{FFFD}') && !article.body.contains('\u{FFFD}'),
            "{article:?}"
        );
    }
}

#[test]
fn lead_and_meer_uit_list_of_li_items_with_ages_in_spans() {
    let articles = read("meer-uit-lijst.html");
    assert_eq!(
        articles.iter().map(summary).collect::<Vec<_>>(),
        [
            "lead | Noorwegen opent grootste windpark op zee van Europa | Oslo | ANP/RTR | Buitenland | - | 2026-01-25T12:00:00Z | nl",
            "item | De Britse regering trekt extra geld uit om de wachtlijsten in ziekenhuizen korter te maken. | Londen | ANP | Buitenland | 7 minuten geleden | 2026-01-25T11:53:00Z | nl",
            "item | Hittegolf houdt zuiden van Australië in zijn greep | Sydney | ANP/AFP | Buitenland | 25 minuten geleden | 2026-01-25T11:35:00Z | nl",
            "item | Verkiezingen in Portugal gaan door ondanks storm | Lissabon | ANP/RTR | Buitenland | 1 uur geleden | 2026-01-25T11:00:00Z | nl",
            "item | In de Indiase hoofdstad zijn alle basisscholen een week dicht vanwege de smog. | New Delhi | ANP/AFP | Buitenland | 2 uur geleden | 2026-01-25T10:00:00Z | nl",
            "item | Een aardbeving met een kracht van 6,1 heeft het midden van Chili opgeschrikt. | Santiago de Chile | ANP/AFP | Buitenland | gisteren | 2026-01-24T12:00:00Z | nl",
        ]
    );
    let has_headline: Vec<bool> = articles.iter().map(|a| a.has_headline).collect();
    assert_eq!(has_headline, [true, false, true, true, false, false]);
    assert_eq!(
        articles[0].body,
        "Noorwegen heeft dinsdag het grootste drijvende windpark op zee van Europa in gebruik genomen. De turbines staan ruim honderd kilometer uit de kust en leveren stroom aan olieplatforms en aan het vasteland.\n\
         Het park bestaat uit zestig turbines die op drijvende betonnen fundamenten staan, vastgemaakt aan de zeebodem met kabels. Op die manier kunnen ze ook in diep water worden gebouwd.\n\
         Netbeheer\n\
         De Noorse netbeheerder moest het stroomnet aan de westkust flink uitbreiden om alle stroom aan land te kunnen verwerken. Vissers maken zich zorgen over de kabels op de bodem."
    );
    assert_eq!(
        articles[2].body,
        "In het zuiden van Australië is het voor de vierde dag op rij warmer dan veertig graden. De autoriteiten waarschuwen voor bosbranden."
    );
    assert_eq!(
        articles[5].body,
        "Een aardbeving met een kracht van 6,1 heeft het midden van Chili opgeschrikt. Er zijn geen meldingen van slachtoffers of grote schade."
    );
    for article in &articles {
        assert!(
            !article.body.contains("geleden") && !article.body.contains("gisteren"),
            "an age in a body: {article:?}"
        );
    }
}

#[test]
fn meer_uit_list_of_div_items_with_ages_in_time_elements() {
    let articles = read("meer-uit-divs.html");
    assert_eq!(
        articles.iter().map(summary).collect::<Vec<_>>(),
        [
            "lead | Pensioenfondsen beleggen meer in Nederlandse huurwoningen | Utrecht | ANP | Economie | - | 2026-01-25T12:00:00Z | nl",
            "item | Beurs in Frankfurt sluit op recordhoogte | Frankfurt | ANP/DPA | Economie | 12 minuten geleden | 2026-01-25T11:48:00Z | nl",
            "item | Het aantal faillissementen in de horeca is in januari gedaald ten opzichte van een jaar eerder. | Amsterdam | AFN | Economie | 3 uur geleden | 2026-01-25T09:00:00Z | nl",
            "item | Koperprijs stijgt door tekorten | Londen | ANP/BLOOMBERG | Economie | 1 dag geleden | 2026-01-24T12:00:00Z | nl",
            "item | De haven van Rotterdam heeft vorig jaar iets minder containers overgeslagen dan het jaar ervoor. | Rotterdam | ANP | Economie | 2 weken geleden | 2026-01-11T12:00:00Z | nl",
        ]
    );
    assert_eq!(
        articles[1].body,
        "De Duitse beurs is donderdag geëindigd op het hoogste punt ooit. Vooral autobedrijven en banken stegen in koers."
    );
    for article in &articles {
        assert!(
            !article.body.contains("geleden"),
            "an age in a body: {article:?}"
        );
    }
}

#[test]
fn a_binary_file_named_html_is_not_a_page() {
    let result = extract::articles(&page("plaatje.html"));
    assert!(matches!(result, Err(PageError::NotAPage(_))), "{result:?}");
}

/// The fixtures/html folder indexed by the binary: the windows-1252 pages are found with
/// and without the diaeresis, and the binary `.html` file is counted, not warned about.
#[test]
fn html_fixtures_index_and_windows_1252_pages_are_found() {
    let sandbox = Sandbox::new();
    let folder = repo().join("fixtures/html");
    let mut files = 0;
    for entry in fs::read_dir(&folder).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        sandbox.write_page(&name, fs::read(entry.path()).unwrap());
        files += 1;
    }
    assert_eq!(files, PAGES.len() + 1, "fixtures/html holds other files");

    let run = sandbox.update();
    assert!(
        run.warnings.is_empty(),
        "no page should be warned about: {:?}",
        run.warnings
    );
    let summary = &run.summary;
    assert_eq!(summary.pages_read, 17, "{summary:?}");
    assert_eq!(summary.articles_read, 34, "{summary:?}");
    assert_eq!(summary.articles_deduplicated, 0, "{summary:?}");
    assert_eq!(summary.pages_skipped, 0, "{summary:?}");
    assert_eq!(
        summary.left_out,
        crate::util::counts(&[(dateline::index::LeftOut::Content("a PNG image"), 1)])
    );
    assert_eq!(sandbox.article_count(), 34);

    let expected = [
        "België en Nederland geven Oekraïne geld voor herstel van het stroomnet",
        "België stuurt ontmijners naar Oekraïne",
        "Scholen in Oekraïne krijgen tweedehands schoolbussen uit Limburg",
    ];
    for query in ["Oekraine", "Oekraïne"] {
        let hits = sandbox.search_json(&[query]);
        let mut titles = crate::util::titles(&hits);
        titles.sort();
        assert_eq!(titles, expected, "search {query}");
        assert_eq!(hits["total"], 3, "search {query}");
    }
    // The windows-1252 item is found by its accented words too.
    let cafe = sandbox.search_json(&["cafe", "--city", "parijs"]);
    assert_eq!(
        crate::util::titles(&cafe),
        [
            "Het bekende café op de hoek van het plein bij de Opéra gaat na honderdtwintig jaar dicht."
        ]
    );
}

/// A section listing page (the second shape: `<li>` entries under the section's `<h1>`)
/// whose entries close with the ages a site writes as days and clock times: each is an
/// item dated against the page's stated time, in Amsterdam time (CET in January).
#[test]
fn a_listing_page_with_days_and_clock_times_as_ages() {
    let articles = read("overzicht-dagen.html");
    let rows: Vec<String> = articles
        .iter()
        .map(|a| {
            format!(
                "{} | {} | {} | {}",
                a.kind.as_str(),
                a.title,
                a.age.as_ref().map_or("-", |age| age.text.as_str()),
                a.published.map_or("-".to_string(), rfc3339)
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            "item | Wielrenner wint etappe na lange vlucht | 14:35 | 2026-01-24T13:35:00Z",
            "item | Handbalsters verliezen oefenduel | vandaag 09:10 | 2026-01-24T08:10:00Z",
            "item | Schaatsbond kiest nieuwe bondscoach | gisteren | 2026-01-23T14:00:00Z",
            "item | Zwemmer breekt record op rugslag | eergisteren | 2026-01-22T14:00:00Z",
            "item | Hockeyers trainen in Zuid-Afrika | za 12:03 | 2026-01-24T11:03:00Z",
            "item | Tennisser stopt na blessure | 12 jan | 2026-01-12T11:00:00Z",
            "item | Voetbalbond presenteert nieuw stadionplan | 12 januari 2024 | 2024-01-12T11:00:00Z",
        ]
    );
    // Dates that need the page's time are ages; a full date is the page's own word.
    let sources: Vec<&str> = articles.iter().map(|a| a.time_source.as_str()).collect();
    assert_eq!(sources, ["age", "age", "age", "age", "age", "age", "page"]);
    for article in &articles {
        assert_eq!(article.outlet.as_deref(), Some("Duinbode"));
        assert_eq!(
            article.url.as_deref(),
            Some("https://www.duinbode.example/sport")
        );
        for written in ["14:35", "gisteren", "12 jan"] {
            assert!(!article.body.contains(written), "{article:?}");
        }
    }
}

/// `<h2>75 jaar geleden</h2>` in an article without a dateline is a sub-heading: the
/// article keeps its stated time and everything after the heading; the byline, the
/// visible date, the photo credit and the share buttons are in no body.
#[test]
fn an_old_age_as_a_sub_heading_neither_ends_nor_dates_the_article() {
    let articles = read("subkop-jaar-geleden.html");
    assert_eq!(
        articles.iter().map(summary).collect::<Vec<_>>(),
        [
            "lead | De bevrijding van het dorp herdacht | - | - | Regio | - | 2019-09-18T08:30:00Z | nl"
        ]
    );
    let article = &articles[0];
    assert_eq!(article.time_source.as_str(), "page");
    assert_eq!(
        article.body,
        "Met een stille tocht langs de oude kerk hebben de inwoners woensdag de bevrijding van hun dorp herdacht. Honderden mensen liepen mee, onder wie een handvol ouderen die de dag zelf nog hebben meegemaakt.\n\
         75 jaar geleden\n\
         In september 1944 trokken de eerste geallieerde tanks over de weg die nu de naam van een van de bevrijders draagt. De bewoners hadden zich dagen in kelders schuilgehouden.\n\
         Een van hen, toen negen jaar oud, vertelde bij de kerk hoe hij de soldaten chocola zag uitdelen. Hij wil dat de verhalen worden doorgegeven aan de kinderen van nu.\n\
         De gemeente laat de verhalen van de ouderen opnemen voor het streekarchief."
    );
}

/// Where a page came from, by each of the places a page may say it: a canonical link
/// (above), `og:url` with JSON-LD `articleSection`, the comment a browser writes when it
/// saves a page, and an MHTML file's `Content-Location`. The outlet is `og:site_name`,
/// else the URL's host.
#[test]
fn the_url_outlet_and_section_come_from_each_place_a_page_states_them() {
    let origin = |article: &Article| {
        (
            article.url.clone().unwrap_or_default(),
            article.outlet.clone().unwrap_or_default(),
            article.section.clone().unwrap_or_default(),
        )
    };
    let canonical = read("subkop-jaar-geleden.html");
    assert_eq!(
        origin(&canonical[0]),
        (
            "https://www.kempenkoerier.example/regio/bevrijding-herdacht".into(),
            "Kempenkoerier".into(),
            "Regio".into()
        )
    );
    let og = read("bron-og-url.html");
    assert_eq!(
        origin(&og[0]),
        (
            "https://www.wadpost.example/nieuws/veerdienst-vlieland".into(),
            "wadpost.example".into(),
            "Binnenland".into()
        )
    );
    assert_eq!(og[0].time_source.as_str(), "page");

    let saved = Page {
        path: "Artikel.html".into(),
        bytes: fs::read(repo().join("fixtures/opgeslagen/Artikel.html")).unwrap(),
        modified: Some(seed_time().into()),
    };
    let saved = extract::articles(&saved).unwrap();
    assert_eq!(
        origin(&saved[0]),
        (
            "https://www.beursbode.example/markten/wall-street-sluit-lager".into(),
            "beursbode.example".into(),
            String::new()
        )
    );
    // The page states no time: the file's is an estimate, and says so.
    assert_eq!(saved[0].time_source.as_str(), "file");

    let mhtml = read("bron-mhtml.mhtml");
    assert_eq!(
        mhtml.iter().map(summary).collect::<Vec<_>>(),
        [
            "lead | Schaatsbaan in Haarlem langer open door kou | Haarlem | ANP | - | - | 2026-01-22T08:41:07Z | nl"
        ]
    );
    assert_eq!(
        origin(&mhtml[0]),
        (
            "https://www.spaarnebode.example/haarlem/schaatsbaan-langer-open".into(),
            "Spaarnebode".into(),
            String::new()
        )
    );
    // The moment the browser saved it, from the file's own header: still an estimate.
    assert_eq!(mhtml[0].time_source.as_str(), "file");
    assert!(
        mhtml[0].body.contains("Ook de café bij de baan"),
        "{}",
        mhtml[0].body
    );
}

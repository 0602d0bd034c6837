//! Generates a folder of saved news pages of any size from the leestmeer corpus's text, to
//! measure indexing and queries beyond the corpus's 99,565 items:
//!
//! ```sh
//! cargo run --release --example generate_pages -- /tmp/pages-1m --pages 1000000 [--seed S]
//! ```
//!
//! The corpus has one short teaser per item and no agency datelines, so copying items
//! would give pages unlike the ones dateline is for. Each page here is new text in the
//! shape of a real saved page: a lead article under one item's title, its paragraphs
//! followed by paragraphs of other items, mostly under a dateline; on most pages a
//! "Meer uit <Section>" list of 3–8 wire items, each the first sentences of one item and
//! one sentence of another, under a dateline and with an age. An item's own local
//! dateline (`EINDHOVEN - `, one item in seven) is kept; the others are drawn from short
//! lists of cities and agencies. Wire items come from a stream per section, so one item
//! shows on several pages of its section with a growing age, as on a site saved over
//! time: the indexer gets stories to merge, as it would.
//!
//! Page times run from 2019-01-01, 30 s a page on average; each file's modification time
//! is its page time. Three in four pages are HTML in two layouts (a tenth of them in
//! windows-1252), the others text exports, a fifth of which are section listings.
//! Pages go to `<out>/<NNNN>/<NNNNNNN>.html|.txt`, 1,000 to a folder. The same seed
//! gives the same folder. `<out>/.generated` is written last, so a folder without it is
//! incomplete; it is hidden, so dateline does not read it as a page.

#[path = "leestmeer/convert.rs"]
mod convert;

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{self, BufRead, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime};
use time::OffsetDateTime;

const USAGE: &str = "usage: generate_pages <out-dir> --pages N [--seed S]";
const CORPUS: &str = "../shared/corpus/leestmeer/leestmeer-2012-2019-07.jsonl.gz";
const PAGES_PER_FOLDER: u64 = 1000;
/// 2019-01-01T00:00:00Z, the end of the corpus's years.
const FIRST_PAGE_TIME: i64 = 1_546_300_800;
/// The most wire items a list shows, and so the most a section's stream keeps.
const MAX_ITEMS: usize = 8;
/// Below this many items a category lends too few texts to mix into distinct pages.
const MIN_CATEGORY_ITEMS: usize = 1000;

// The lists below are ours: the corpus gives the text, these give the page around it.
#[rustfmt::skip]
const SITES: &[&str] = &[
    "De Polderpost", "Rivierenkoerier", "Kustbode Online", "Stadsnieuws Vandaag", "Het Grensblad",
];
#[rustfmt::skip]
const EDITIONS: &[&str] = &["Zeeland", "Brabant", "Holland", "Gelderland", "Twente", "Friesland"];
#[rustfmt::skip]
const DUTCH_CITIES: &[&str] = &[
    "AMSTERDAM", "ROTTERDAM", "DEN HAAG", "UTRECHT", "EINDHOVEN", "GRONINGEN", "TILBURG",
    "ALMERE", "BREDA", "NIJMEGEN", "ARNHEM", "HAARLEM", "ENSCHEDE", "APELDOORN",
    "'S-HERTOGENBOSCH", "DEN BOSCH", "AMERSFOORT", "MAASTRICHT", "ZWOLLE", "LEEUWARDEN",
    "MIDDELBURG", "VLISSINGEN", "DELFZIJL", "ALPHEN AAN DEN RIJN", "BERGEN OP ZOOM",
    "WIJK BIJ DUURSTEDE", "DEN HELDER", "SCHIPHOL", "HOEK VAN HOLLAND", "TER APEL", "LELYSTAD",
    "ASSEN", "VENLO", "DORDRECHT", "DOMBURG",
];
#[rustfmt::skip]
const FOREIGN_CITIES: &[&str] = &[
    "BRUSSEL", "ANTWERPEN", "BERLIJN", "MÜNCHEN", "PARIJS", "LONDEN", "MADRID", "ROME",
    "WENEN", "GENÈVE", "STOCKHOLM", "WASHINGTON", "NEW YORK", "LOS ANGELES", "PEKING", "TOKIO",
    "MOSKOU", "ST. PETERSBURG", "ISTANBUL", "JERUZALEM", "KAAPSTAD", "RIO DE JANEIRO",
    "BUENOS AIRES", "NEW DELHI", "SYDNEY",
];
/// Repeats weigh the draw; an empty agency is a local story's `DOMBURG - `.
const DUTCH_AGENCIES: &[&str] = &["ANP", "ANP", "ANP", "ANP", "ANP", "AFN", ""];
#[rustfmt::skip]
const FOREIGN_AGENCIES: &[&str] = &[
    "ANP/AFP", "ANP/RTR", "ANP/DPA", "ANP/AP", "ANP/AFP/RTR", "ANP/RTR/BLOOMBERG", "ANP/BELGA",
    "ANP",
];
/// Upper-case openers in the corpus that are not places: left in the text, where the
/// reader has to tell them apart, as on real pages.
#[rustfmt::skip]
const NOT_CITIES: &[&str] = &[
    "LIVE", "UPDATE", "VIDEO", "RECENSIE", "COLUMN", "ANALYSE", "REGIO", "AZ", "VVV",
];
const NAV: &str = r#"<nav><ul><li><a href="/">Home</a></li><li><a href="/binnenland">Binnenland</a></li><li><a href="/buitenland">Buitenland</a></li><li><a href="/sport">Sport</a></li><li><a href="/regio">Regio</a></li></ul></nav>
"#;
#[rustfmt::skip]
const DUTCH_WEEKDAYS: [&str; 7] = [
    "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",
];
#[rustfmt::skip]
const DUTCH_MONTHS: [&str; 12] = [
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
];

fn main() -> ExitCode {
    if std::env::args().any(|arg| arg == "-h" || arg == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let (out, pages, seed) = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("generate_pages: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&out, pages, seed) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("generate_pages: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<(PathBuf, u64, u64), String> {
    let mut out = None;
    let mut pages = None;
    let mut seed = 1;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--pages" | "--seed" => {
                let value = args.next().ok_or(format!("{arg} needs a number"))?;
                let number: u64 = value
                    .parse()
                    .map_err(|_| format!("{arg} needs a number, not {value:?}"))?;
                if arg == "--pages" {
                    pages = Some(number);
                } else {
                    seed = number;
                }
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            path if out.is_none() => out = Some(PathBuf::from(path)),
            _ => return Err("give one output folder".to_string()),
        }
    }
    match (out, pages) {
        (Some(out), Some(pages)) => Ok((out, pages, seed)),
        _ => Err("give an output folder and --pages N".to_string()),
    }
}

fn run(out: &Path, pages: u64, seed: u64) -> io::Result<()> {
    // Pages left from another run would mix into this one unseen.
    if fs::read_dir(out).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(io::Error::other(format!(
            "{} is not empty: give a new folder",
            out.display()
        )));
    }
    let started = Instant::now();
    let corpus_path = Path::new(env!("CARGO_MANIFEST_DIR")).join(CORPUS);
    let corpus = Corpus::read(&corpus_path)?;
    eprintln!(
        "read {} items ({} MB of text) in {:.1} s",
        corpus.items.len(),
        corpus.text.len() / 1_000_000,
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let mut generator = Generator::new(&corpus, seed);
    let mut page = String::new();
    let mut bytes = 0u64;
    for number in 0..pages {
        let folder = out.join(format!("{:04}", number / PAGES_PER_FOLDER));
        if number % PAGES_PER_FOLDER == 0 {
            fs::create_dir_all(&folder).map_err(|e| with_path(e, &folder))?;
        }
        page.clear();
        let shape = generator.page(&mut page);
        let path = folder.join(format!("{number:07}.{}", shape.extension()));
        let encoded = match shape {
            Shape::Html { latin: true, .. } => encoding_rs::WINDOWS_1252.encode(&page).0,
            _ => page.as_bytes().into(),
        };
        bytes += encoded.len() as u64;
        write_page(&path, &encoded, generator.time).map_err(|e| with_path(e, &path))?;
        if (number + 1) % 100_000 == 0 {
            eprintln!(
                "{} pages, {:.0} s",
                number + 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
    let marker = out.join(".generated");
    fs::create_dir_all(out).map_err(|e| with_path(e, out))?;
    fs::write(&marker, format!("pages {pages} seed {seed}\n"))
        .map_err(|e| with_path(e, &marker))?;
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "wrote {pages} pages ({} MB) to {} in {seconds:.1} s, {:.0} pages/s",
        bytes / 1_000_000,
        out.display(),
        pages as f64 / seconds.max(1e-9)
    );
    Ok(())
}

fn write_page(path: &Path, bytes: &[u8], time: i64) -> io::Result<()> {
    let mut file = File::create(path)?;
    file.write_all(bytes)?;
    // A crawler saves a page when it was current: the reader falls back on the
    // modification time, and text pages only state the day.
    file.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(time as u64))
}

fn with_path(error: io::Error, path: &Path) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {error}", path.display()))
}

/// The corpus text a page can be made of: titles and paragraphs as plain text, in one
/// string, so the whole corpus costs little more than its text.
struct Corpus {
    text: String,
    paragraphs: Vec<(u32, u32)>,
    items: Vec<Story>,
    /// Section names, by category index.
    sections: Vec<String>,
    /// Item indices by category index; the whole corpus for small categories.
    related: Vec<Vec<u32>>,
}

struct Story {
    title: (u32, u32),
    /// The local dateline the item's text opened with (`EINDHOVEN - `), if any.
    dateline: Option<(u32, u32)>,
    first_paragraph: u32,
    paragraphs: u32,
    category: u32,
}

impl Corpus {
    fn read(path: &Path) -> io::Result<Corpus> {
        let mut reader = convert::open(path)?;
        let mut corpus = Corpus {
            text: String::new(),
            paragraphs: Vec::new(),
            items: Vec::new(),
            sections: Vec::new(),
            related: Vec::new(),
        };
        let mut categories: Vec<String> = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                break;
            }
            if line.trim().is_empty() {
                continue;
            }
            let item: convert::Item = serde_json::from_str(&line)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            let title = plain(item.title.as_deref().unwrap_or(""));
            let Some(category) = item.categories.first().filter(|c| !c.trim().is_empty()) else {
                continue;
            };
            let text_length = corpus.text.len();
            let first_paragraph = corpus.paragraphs.len() as u32;
            let mut dateline = None;
            for (number, paragraph) in paragraphs(item.body_html.as_deref().unwrap_or(""))
                .iter()
                .enumerate()
            {
                // Regional items open with their own dateline; a paragraph mixed into
                // another page's lead must not, or it would start an article there.
                let (opener, text) = paragraph.split_at(dateline_length(paragraph));
                if number == 0 && !opener.is_empty() {
                    dateline = Some(corpus.push(opener));
                }
                if !text.is_empty() {
                    let range = corpus.push(text);
                    corpus.paragraphs.push(range);
                }
            }
            let count = corpus.paragraphs.len() as u32 - first_paragraph;
            if title.is_empty() || count == 0 {
                corpus.paragraphs.truncate(first_paragraph as usize);
                corpus.text.truncate(text_length);
                continue;
            }
            let category = match categories.iter().position(|c| c == category) {
                Some(known) => known,
                None => {
                    categories.push(category.clone());
                    corpus.sections.push(convert::section_name(category));
                    corpus.related.push(Vec::new());
                    categories.len() - 1
                }
            };
            let title = corpus.push(&title);
            corpus.related[category].push(corpus.items.len() as u32);
            corpus.items.push(Story {
                title,
                dateline,
                first_paragraph,
                paragraphs: count,
                category: category as u32,
            });
        }
        if corpus.items.is_empty() {
            return Err(io::Error::other(format!(
                "{}: no items with a title and text",
                path.display()
            )));
        }
        let everything: Vec<u32> = (0..corpus.items.len() as u32).collect();
        for related in &mut corpus.related {
            if related.len() < MIN_CATEGORY_ITEMS {
                *related = everything.clone();
            }
        }
        corpus.text.shrink_to_fit();
        Ok(corpus)
    }

    fn push(&mut self, text: &str) -> (u32, u32) {
        let start = self.text.len() as u32;
        self.text.push_str(text);
        (start, self.text.len() as u32)
    }

    fn slice(&self, (start, end): (u32, u32)) -> &str {
        &self.text[start as usize..end as usize]
    }

    fn dateline(&self, item: u32) -> Option<&str> {
        self.items[item as usize]
            .dateline
            .map(|range| self.slice(range))
    }

    fn title(&self, item: u32) -> &str {
        self.slice(self.items[item as usize].title)
    }

    fn paragraph(&self, item: u32, number: u32) -> &str {
        let story = &self.items[item as usize];
        self.slice(self.paragraphs[(story.first_paragraph + number) as usize])
    }
}

/// The paragraphs of a feed item's HTML fragment, as plain text: block tags and line
/// breaks end a paragraph, other tags (images, links, emphasis) go.
fn paragraphs(html: &str) -> Vec<String> {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = &rest[open..];
            break;
        };
        let tag = rest[open + 1..open + close].trim_start_matches('/');
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if matches!(
            name.as_str(),
            "p" | "br" | "hr" | "h1" | "h2" | "h3" | "h4" | "div" | "li" | "ul" | "ol"
        ) {
            text.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    text.push_str(rest);
    text.lines().map(plain).filter(|p| !p.is_empty()).collect()
}

/// The length of the dateline a paragraph opens with (`EINDHOVEN - `, `PEKING
/// (ANP/RTR) - `), or 0.
fn dateline_length(paragraph: &str) -> usize {
    let Some((at, dash)) = [" - ", " – ", " — "]
        .iter()
        .filter_map(|dash| paragraph.find(dash).map(|at| (at, dash.len())))
        .min()
    else {
        return 0;
    };
    let opener = &paragraph[..at];
    let city = opener.split(" (").next().unwrap_or(opener);
    let agencies = opener[city.len()..]
        .strip_prefix(" (")
        .and_then(|rest| rest.strip_suffix(')'));
    let city_like = city.chars().filter(|c| c.is_uppercase()).count() >= 2
        && city.chars().all(|c| c.is_uppercase() || " '.-".contains(c))
        && !NOT_CITIES.contains(&city.split(' ').next().unwrap_or(city));
    let agencies_like = opener.len() == city.len()
        || agencies.is_some_and(|a| {
            !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '/')
        });
    if city_like && agencies_like {
        at + dash
    } else {
        0
    }
}

/// Text with its character references decoded and its white space folded.
fn plain(text: &str) -> String {
    let mut decoded = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        decoded.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let reference = rest[1..]
            .find(';')
            .filter(|&end| end <= 8)
            .map(|end| &rest[1..end + 1]);
        let character = reference.and_then(|name| match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => {
                let number = name.strip_prefix('#')?;
                let code = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => number.parse().ok()?,
                };
                char::from_u32(code)
            }
        });
        match (reference, character) {
            (Some(name), Some(c)) => {
                decoded.push(c);
                rest = &rest[name.len() + 2..];
            }
            _ => {
                decoded.push('&');
                rest = &rest[1..];
            }
        }
    }
    decoded.push_str(rest);
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first sentences of a paragraph, at most `budget` bytes of them but at least one.
fn first_sentences(paragraph: &str, budget: usize) -> &str {
    let mut end = paragraph.len();
    let mut found = None;
    for (at, _) in paragraph.match_indices(' ') {
        let before = paragraph[..at].chars().next_back();
        let after = paragraph[at + 1..].chars().next();
        if matches!(before, Some('.' | '?' | '!'))
            && after.is_some_and(|c| c.is_uppercase() || c == '"' || c == '\'')
        {
            if found.is_some() && at > budget {
                break;
            }
            found = Some(at);
            end = at;
        }
    }
    if found.is_none() || paragraph.len() <= budget {
        end = paragraph.len();
    }
    &paragraph[..end]
}

/// splitmix64: a small, fast generator, deterministic for a seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn percent(&mut self, chance: u64) -> bool {
        self.below(100) < chance
    }

    fn pick<T: Copy>(&mut self, choices: &[T]) -> T {
        choices[self.below(choices.len() as u64) as usize]
    }
}

#[derive(Clone, Copy)]
enum Shape {
    /// `latin`: saved in windows-1252.
    Html {
        layout: Layout,
        latin: bool,
    },
    Text,
}

/// Two ways sites mark up the same page, both read by dateline.
#[derive(Clone, Copy, PartialEq)]
enum Layout {
    /// `<article>`, the time in a meta tag, the "Meer uit" items as `<li>`s.
    Article,
    /// `<div>`s all through, the time in a byline `<time>`.
    Divs,
}

impl Shape {
    fn extension(self) -> &'static str {
        match self {
            Shape::Html { .. } => "html",
            Shape::Text => "txt",
        }
    }
}

/// One wire item, drawn afresh from its key each time a page shows it, so that every
/// page shows the same story in the same words.
struct Wire<'a> {
    title: &'a str,
    /// Printed over the item; listing pages print every item's title.
    headline: bool,
    badge: bool,
    dateline: String,
    text: String,
    age: String,
}

/// A lead article.
struct Lead<'a> {
    title: &'a str,
    /// Printed twice in a row on some text pages, as real ones do.
    title_twice: bool,
    dateline: Option<String>,
    paragraphs: Vec<&'a str>,
}

/// What a page holds, before it is written in one of the shapes.
struct Page<'a> {
    time: i64,
    site: &'a str,
    section: &'a str,
    /// `None` on a section listing page.
    lead: Option<Lead<'a>>,
    wires: Vec<Wire<'a>>,
}

/// The wire items a section's list has shown lately: keys and their publication times.
#[derive(Default)]
struct Stream {
    next_key: u64,
    recent: VecDeque<(u64, i64)>,
}

struct Generator<'a> {
    corpus: &'a Corpus,
    seed: u64,
    rng: Rng,
    /// The current page's time, unix seconds.
    time: i64,
    streams: Vec<Stream>,
}

impl<'a> Generator<'a> {
    fn new(corpus: &'a Corpus, seed: u64) -> Generator<'a> {
        Generator {
            corpus,
            seed,
            rng: Rng(seed),
            time: FIRST_PAGE_TIME,
            streams: (0..corpus.sections.len())
                .map(|_| Stream::default())
                .collect(),
        }
    }

    /// Writes the next page into `out` and says what kind it is.
    fn page(&mut self, out: &mut String) -> Shape {
        self.time += self.rng.below(61) as i64;
        let lead_item = self.rng.below(self.corpus.items.len() as u64) as u32;
        let category = self.corpus.items[lead_item as usize].category;
        let shape = match self.rng.below(100) {
            0..60 => Shape::Html {
                layout: Layout::Article,
                latin: self.rng.percent(10),
            },
            60..75 => Shape::Html {
                layout: Layout::Divs,
                latin: self.rng.percent(10),
            },
            _ => Shape::Text,
        };
        let listing = matches!(shape, Shape::Text) && self.rng.percent(20);
        // A text page's headline is the line before its first dateline: it needs one.
        let lead_dateline = matches!(shape, Shape::Text) || self.rng.percent(70);
        let lead = (!listing).then(|| self.lead(lead_item, lead_dateline));
        let count = if listing {
            6 + self.rng.below(3)
        } else if self.rng.percent(85) {
            3 + self.rng.below(6)
        } else {
            0
        };
        let wires = if count > 0 {
            self.wires(category, count as usize)
        } else {
            Vec::new()
        };
        let site = self.rng.pick(SITES);
        let page = Page {
            time: self.time,
            site,
            section: &self.corpus.sections[category as usize],
            lead,
            wires,
        };
        match shape {
            Shape::Html { layout, latin } => html(&page, layout, latin, out),
            Shape::Text => text(&page, &mut self.rng, out),
        }
        shape
    }

    /// A lead: one item's title and paragraphs, then paragraphs of related items, so that
    /// no two pages share a lead although each item leads some ten pages in a million.
    fn lead(&mut self, item: u32, with_dateline: bool) -> Lead<'a> {
        let corpus = self.corpus;
        let story = &corpus.items[item as usize];
        let mut paragraphs: Vec<&str> = (0..story.paragraphs.min(8))
            .map(|number| corpus.paragraph(item, number))
            .collect();
        let related = &corpus.related[story.category as usize];
        for _ in 0..1 + self.rng.below(3) {
            let other = self.rng.pick(related);
            let number =
                self.rng
                    .below(corpus.items[other as usize].paragraphs as u64) as u32;
            paragraphs.push(corpus.paragraph(other, number));
        }
        let dateline = match corpus.dateline(item) {
            Some(own) => Some(own.to_string()),
            None => with_dateline.then(|| dateline(&mut self.rng, corpus, story.category)),
        };
        Lead {
            title: corpus.title(item),
            title_twice: self.rng.percent(15),
            dateline,
            paragraphs,
        }
    }

    /// The `count` newest wire items of a section, newest first.
    fn wires(&mut self, category: u32, count: usize) -> Vec<Wire<'a>> {
        let now = self.time;
        let stream = &mut self.streams[category as usize];
        let fresh = self.rng.below(4) as usize;
        for new in 0..MAX_ITEMS {
            if new >= fresh && stream.recent.len() >= count {
                break;
            }
            // A list runs newest first: no item is newer than the one above it.
            let newest = stream.recent.back().map_or(i64::MIN, |&(_, time)| time);
            let time = newest.max(now - self.rng.below(900) as i64);
            stream.recent.push_back((stream.next_key, time));
            stream.next_key += 1;
            if stream.recent.len() > MAX_ITEMS {
                stream.recent.pop_front();
            }
        }
        let shown: Vec<(u64, i64)> = stream.recent.iter().rev().take(count).copied().collect();
        shown
            .into_iter()
            .map(|(key, time)| self.wire(category, key, age(now - time)))
            .collect()
    }

    fn wire(&self, category: u32, key: u64, age: String) -> Wire<'a> {
        let corpus = self.corpus;
        let mut rng =
            Rng(self.seed ^ (u64::from(category) << 48) ^ key.wrapping_mul(0x2545_f491_4f6c_dd1d));
        let item = rng.pick(&corpus.related[category as usize]);
        let other = rng.below(corpus.items.len() as u64) as u32;
        let mut text = first_sentences(corpus.paragraph(item, 0), 280).to_string();
        let tail = first_sentences(corpus.paragraph(other, 0), 0);
        if tail.len() < 400 {
            text.push(' ');
            text.push_str(tail);
        }
        let headline = rng.percent(60);
        Wire {
            title: corpus.title(item),
            headline,
            badge: headline && rng.percent(35),
            dateline: match corpus.dateline(item) {
                Some(own) => own.to_string(),
                None => dateline(&mut rng, corpus, category),
            },
            text,
            age,
        }
    }
}

fn html(page: &Page, layout: Layout, latin: bool, out: &mut String) {
    let e = convert::escape;
    let lead = page.lead.as_ref().expect("HTML pages have a lead");
    let title = e(lead.title);
    let site = e(page.site);
    let time = rfc3339(page.time);
    let charset = if latin { "windows-1252" } else { "utf-8" };
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"{charset}\">\n<title>{title} | {site}</title>"
    );
    if layout == Layout::Article {
        let _ = writeln!(
            out,
            "<meta property=\"article:published_time\" content=\"{time}\">"
        );
    }
    let _ = write!(
        out,
        "<link rel=\"stylesheet\" href=\"/css/site.css\">\n</head>\n<body>\n<header><a href=\"/\">{site}</a> <a href=\"/webmail\">Webmail</a></header>\n{NAV}<main>\n"
    );
    match layout {
        Layout::Article => {
            let _ = writeln!(out, "<article>\n<h1>{title}</h1>");
        }
        Layout::Divs => {
            let _ = writeln!(
                out,
                "<div class=\"artikel\">\n<h1>{title}</h1>\n<p class=\"byline\">Door onze redactie · <time datetime=\"{time}\">{}</time></p>\n<div class=\"tekst\">",
                dutch_day(page.time)
            );
        }
    }
    for (number, paragraph) in lead.paragraphs.iter().enumerate() {
        let dateline = lead.dateline.as_deref().filter(|_| number == 0);
        let _ = writeln!(out, "<p>{}{}</p>", e(dateline.unwrap_or("")), e(paragraph));
    }
    let (lead_end, list_start, item_start, age_start, item_end, list_end) = match layout {
        Layout::Article => (
            "</article>",
            "<section class=\"meer-uit\">\n<h2>Meer uit",
            "<li>",
            "<span class=\"age\">",
            "</span></li>",
            "</ul>\n</section>",
        ),
        Layout::Divs => (
            "</div>\n</div>",
            "<div class=\"meer-uit\">\n<div class=\"meer-uit-kop\">Meer uit",
            "<div class=\"item\">",
            "<time class=\"leeftijd\">",
            "</time></div>",
            "</div>",
        ),
    };
    let _ = writeln!(out, "{lead_end}");
    if !page.wires.is_empty() {
        let section = e(page.section);
        match layout {
            Layout::Article => {
                let _ = writeln!(out, "{list_start} {section}</h2>\n<ul>");
            }
            Layout::Divs => {
                let _ = writeln!(out, "{list_start} {section}</div>");
            }
        }
        for wire in &page.wires {
            out.push_str(item_start);
            if wire.headline {
                let badge = if wire.badge {
                    "<span class=\"bron\">ANP</span> "
                } else {
                    ""
                };
                let _ = write!(out, "<h3>{badge}{}</h3>", e(wire.title));
            }
            let _ = writeln!(
                out,
                "<p>{}{}</p>{age_start}{}{item_end}",
                e(&wire.dateline),
                e(&wire.text),
                wire.age
            );
        }
        let _ = writeln!(out, "{list_end}");
    }
    let _ = write!(
        out,
        "</main>\n<footer><p>{site} · Privacy · Cookies · Colofon</p></footer>\n</body>\n</html>\n"
    );
}

fn text(page: &Page, rng: &mut Rng, out: &mut String) {
    let _ = write!(
        out,
        "Webmail\nKies je webmail\n{}\nEditie: NL & Wereld | {}\n",
        dutch_day(page.time),
        rng.pick(EDITIONS)
    );
    if page.lead.is_none() || rng.percent(40) {
        let _ = writeln!(out, "{}", page.section);
    }
    if let Some(lead) = &page.lead {
        let _ = writeln!(out, "{}", lead.title);
        if lead.title_twice {
            let _ = writeln!(out, "{}", lead.title);
        }
        for (number, paragraph) in lead.paragraphs.iter().enumerate() {
            if number == 0 {
                out.push_str(lead.dateline.as_deref().unwrap_or(""));
            }
            let _ = writeln!(out, "{paragraph}");
        }
        if !page.wires.is_empty() {
            let _ = writeln!(out, "Meer uit {}", page.section);
        }
    }
    for wire in &page.wires {
        // Without its own headline, a listing's first item would take the chrome line
        // above it (the section name) as one.
        if wire.headline || page.lead.is_none() {
            let badge = if wire.badge { "ANP " } else { "" };
            let _ = writeln!(out, "{badge}{}", wire.title);
        }
        let _ = writeln!(out, "{}{}", wire.dateline, wire.text);
        out.push_str(&wire.age);
        // Glued to the next item, as some saved pages have it.
        if !rng.percent(40) {
            out.push('\n');
        }
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
}

/// A dateline: abroad for foreign news, mostly at home otherwise.
fn dateline(rng: &mut Rng, corpus: &Corpus, category: u32) -> String {
    let abroad = if corpus.sections[category as usize] == "Buitenland" {
        rng.percent(90)
    } else {
        rng.percent(5)
    };
    let (city, agencies) = if abroad {
        (rng.pick(FOREIGN_CITIES), rng.pick(FOREIGN_AGENCIES))
    } else {
        (rng.pick(DUTCH_CITIES), rng.pick(DUTCH_AGENCIES))
    };
    let dash = if rng.percent(20) { '–' } else { '-' };
    if agencies.is_empty() {
        format!("{city} {dash} ")
    } else {
        format!("{city} ({agencies}) {dash} ")
    }
}

/// An age as Dutch news sites print it.
fn age(seconds: i64) -> String {
    let minutes = (seconds / 60).max(1);
    let hours = minutes / 60;
    let days = hours / 24;
    let plural =
        |n: i64, one: &str, many: &str| format!("{n} {} geleden", if n == 1 { one } else { many });
    match () {
        _ if minutes < 60 => plural(minutes, "minuut", "minuten"),
        _ if hours < 24 => plural(hours, "uur", "uur"),
        // Some sites print `gisteren` for `1 dag geleden`.
        _ if days == 1 && hours % 2 == 0 => "gisteren".to_string(),
        _ if days < 7 => plural(days, "dag", "dagen"),
        _ if days < 30 => plural(days / 7, "week", "weken"),
        _ if days < 365 => plural(days / 30, "maand", "maanden"),
        _ => plural(days / 365, "jaar", "jaar"),
    }
}

fn rfc3339(unix: i64) -> String {
    dateline::clock::from_unix(unix)
        .map(dateline::clock::rfc3339)
        .unwrap_or_default()
}

/// The page's day as its date line prints it, in Amsterdam: `dinsdag 1 januari 2019`.
fn dutch_day(unix: i64) -> String {
    let utc = OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let local = utc.to_offset(dateline::clock::amsterdam_offset(utc));
    format!(
        "{} {} {} {}",
        DUTCH_WEEKDAYS[local.weekday().number_days_from_monday() as usize],
        local.day(),
        DUTCH_MONTHS[u8::from(local.month()) as usize - 1],
        local.year()
    )
}

//! The layout of a news page, from its paragraphs to blocks: the lead article and the wire
//! items of its "Meer uit <Section>" list.
//!
//! Text pages give one paragraph per line; HTML pages give one per block element. The
//! rules are DESIGN.md's "Text pages" section; each is named where it is applied.

use super::age::{Age, split_leading_age, split_trailing_age};
use super::dateline::{Dateline, parse_dateline};
use super::furniture::{Furniture, furniture};
use time::{Date, OffsetDateTime};

/// One article as it stands on the page, before it gets a title, a time and a language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The headline line above the dateline paragraph, with any source badge removed.
    pub headline: Option<String>,
    /// The dateline that opens the first paragraph, if any.
    pub dateline: Option<Dateline>,
    /// The paragraphs, the first without its dateline prefix.
    pub paragraphs: Vec<String>,
    /// The age printed after the block (`7 minuten geleden`).
    pub age: Option<Age>,
    /// The section of the "Meer uit" list the block stands in, else the page's section.
    pub section: Option<String>,
    /// Whether the block is a wire item (in a list, or followed by an age) or the lead.
    pub is_item: bool,
}

/// Everything the layout tells about a page.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Layout {
    /// The blocks in page order.
    pub blocks: Vec<Block>,
    /// The date a weekday date line states (`maandag 3 november 2025`).
    pub stated_date: Option<Date>,
    /// The time a time line above the first article states (`Gepubliceerd: 15 mei 2019
    /// 08:08`, `Wed, 15 May 2019 06:08:13 GMT`).
    pub visible_time: Option<OffsetDateTime>,
}

/// Section names that site chrome prints above a headline; used as the page's section
/// when it has no "Meer uit" list.
const SECTION_NAMES: &[&str] = &[
    "Binnenland",
    "Buitenland",
    "Economie",
    "Politiek",
    "Sport",
    "Cultuur",
    "Media",
    "Tech",
    "Wetenschap",
    "Gezondheid",
    "Opmerkelijk",
    "Regio",
    "Show",
    "Financieel",
    "Koningshuis",
    "Lifestyle",
    "Entertainment",
];

/// Agencies whose name a site prints as a badge in front of an item's headline.
const BADGES: &[&str] = &[
    "ANP",
    "AFP",
    "RTR",
    "DPA",
    "AP",
    "AFN",
    "BELGA",
    "BLOOMBERG",
    "REUTERS",
    "NOS",
];

/// The longest "Meer uit" line that still names a section rather than being prose.
const MAX_SECTION_CHARS: usize = 40;

enum Line<'a> {
    Text(&'a str),
    Dateline(Dateline, &'a str),
    Age(Age),
    MoreFrom(&'a str),
}

/// Reads the blocks of a page from its paragraphs. An HTML page knows its headline (its
/// `<h1>`): that is the lead article's title, whatever stands between it and the
/// dateline (a byline, a time).
pub fn read_layout<S: AsRef<str>>(paragraphs: &[S], headline: Option<&str>) -> Layout {
    let (lines, visible_time) = classify(paragraphs);
    let first_dateline = lines
        .iter()
        .position(|line| matches!(line, Line::Dateline(..)))
        .unwrap_or(lines.len());
    let stated_date = lines[..first_dateline].iter().find_map(|line| match line {
        Line::Text(text) => crate::clock::parse_dutch_date(text),
        Line::Age(age) if age.is_absolute() => age
            .resolve(None)
            .map(|t| t.to_offset(crate::clock::amsterdam_offset(t)).date()),
        _ => None,
    });
    let closes = ages_that_close(&lines);
    let mut reader = Reader {
        page_headline: headline.map(str::to_string),
        ..Reader::default()
    };
    for (at, line) in lines.iter().enumerate() {
        let next_is_dateline = matches!(lines.get(at + 1), Some(Line::Dateline(..)));
        reader.read(line, next_is_dateline, closes[at]);
    }
    Layout {
        blocks: reader.finish(),
        stated_date,
        visible_time,
    }
}

/// Lines after an age that may still be the last entry's tail rather than an article's
/// text (pagination, a footer line).
const LOOKAHEAD_LINES: usize = 15;

/// Which lines are ages that close the entry above them (DESIGN.md: an age that closes an
/// entry of a list is that entry's age, whatever its size; a lone `75 jaar geleden` in an
/// article is a sub-heading). An age closes an entry in a "Meer uit" list; where the next
/// line starts an entry (a dateline, a headline above one, an age, a list) or nothing
/// follows; where an earlier age outside a list closed an entry (a listing page); or
/// where another age follows before the next list (entries without datelines).
fn ages_that_close(lines: &[Line<'_>]) -> Vec<bool> {
    let mut closes = vec![false; lines.len()];
    let mut in_list = false;
    let mut listing = false;
    for (at, line) in lines.iter().enumerate() {
        match line {
            Line::MoreFrom(_) => in_list = true,
            Line::Age(_) => {
                let next_starts_entry = match lines.get(at + 1) {
                    None | Some(Line::Dateline(..) | Line::Age(_) | Line::MoreFrom(_)) => true,
                    Some(Line::Text(_)) => matches!(lines.get(at + 2), Some(Line::Dateline(..))),
                };
                let age_ahead = lines[at + 1..]
                    .iter()
                    .take(LOOKAHEAD_LINES)
                    .take_while(|l| !matches!(l, Line::MoreFrom(_)))
                    .any(|l| matches!(l, Line::Age(_)));
                closes[at] = in_list || next_starts_entry || listing || age_ahead;
                if closes[at] && !in_list {
                    listing = true;
                }
            }
            _ => {}
        }
    }
    closes
}

/// Splits glued ages off, drops furniture, and tells each line's role; also returns the
/// first time line's time.
fn classify<S: AsRef<str>>(paragraphs: &[S]) -> (Vec<Line<'_>>, Option<OffsetDateTime>) {
    let mut lines = Vec::with_capacity(paragraphs.len());
    // Each line's own text (none for an age split off a paragraph).
    let mut raw: Vec<Option<&str>> = Vec::with_capacity(paragraphs.len());
    let mut visible_time = None;
    for paragraph in paragraphs {
        let mut rest = paragraph.as_ref().trim();
        // "7 minuten geledenJUBA (ANP/AFP) - …": the age of the item above, then the next.
        while let Some((age, after)) = split_leading_age(rest) {
            lines.push(Line::Age(age));
            raw.push(None);
            rest = after.trim();
        }
        if rest.is_empty() {
            continue;
        }
        match furniture(rest) {
            Some(Furniture::Time(time)) => {
                // The time above the article, before any of its text, is the page's.
                if lines.iter().all(|l| !matches!(l, Line::Dateline(..))) {
                    visible_time = visible_time.or(time);
                }
                continue;
            }
            Some(Furniture::Other) => continue,
            None => {}
        }
        let trailing_age = split_trailing_age(rest).map(|(before, age)| {
            rest = before;
            age
        });
        lines.push(if let Some(section) = more_from_section(rest) {
            Line::MoreFrom(section)
        } else if let Some((dateline, body)) = parse_dateline(rest) {
            Line::Dateline(dateline, body)
        } else {
            Line::Text(rest)
        });
        raw.push(Some(rest));
        if let Some(age) = trailing_age {
            lines.push(Line::Age(age));
            raw.push(None);
        }
    }
    // A headline that reads like a dateline without agencies (`PSV - Ajax (2-1)`, with or
    // without a source badge) stands right above the real dateline paragraph: it is the
    // headline.
    for at in 0..lines.len().saturating_sub(1) {
        if let (Line::Dateline(first, _), Line::Dateline(..)) = (&lines[at], &lines[at + 1])
            && first.agencies.is_empty()
            && let Some(text) = raw[at]
        {
            lines[at] = Line::Text(text);
        }
    }
    (lines, visible_time)
}

fn more_from_section(line: &str) -> Option<&str> {
    let section = line.strip_prefix("Meer uit ")?.trim().trim_end_matches(':');
    let plausible = !section.is_empty()
        && section.len() <= MAX_SECTION_CHARS
        && section.starts_with(char::is_uppercase)
        && !section.ends_with('.');
    plausible.then_some(section)
}

/// The state of one walk down the page.
#[derive(Default)]
struct Reader {
    blocks: Vec<Block>,
    /// The block being read.
    current: Option<Block>,
    /// Lines outside any block: page chrome, or an article without a dateline.
    loose: Vec<String>,
    /// The headline for the next dateline paragraph.
    headline: Option<String>,
    /// The page's own headline, for its lead article.
    page_headline: Option<String>,
    /// The section of the "Meer uit" list we are in.
    list_section: Option<String>,
    /// The section of the page's first "Meer uit" list.
    first_list_section: Option<String>,
    /// A section name printed in the chrome above the first block.
    chrome_section: Option<String>,
    /// Where the current block got the page's headline: its own headline line, which
    /// is its title if an age shows it to be an entry of a list.
    own_headline: Option<Option<String>>,
}

impl Reader {
    fn read(&mut self, line: &Line<'_>, next_is_dateline: bool, closes: bool) {
        match line {
            Line::MoreFrom(section) => {
                self.close_current();
                // A lead article without a dateline runs up to the list, like any lead.
                if self.blocks.is_empty()
                    && let Some(lead) = self.take_loose_block()
                {
                    self.blocks.push(lead);
                }
                self.loose.clear();
                self.list_section = Some(section.to_string());
                self.first_list_section
                    .get_or_insert_with(|| section.to_string());
            }
            Line::Age(age) if closes => self.read_age(age),
            // A sub-heading that reads like an age (`75 jaar geleden`): article text.
            Line::Age(age) => match &mut self.current {
                Some(current) => current.paragraphs.push(age.text.clone()),
                None => self.loose.push(age.text.clone()),
            },
            Line::Dateline(dateline, body) => {
                self.close_current();
                self.note_chrome_section();
                self.loose.clear();
                let is_lead = self.blocks.is_empty() && self.list_section.is_none();
                let page_headline = self.page_headline.take().filter(|_| is_lead);
                // Taken either way: a line before the dateline is not the next one's headline.
                let own = self.headline.take();
                self.own_headline = page_headline.is_some().then(|| own.clone());
                let headline = page_headline.or(own);
                self.current = Some(Block {
                    headline,
                    dateline: Some(dateline.clone()),
                    paragraphs: vec![body.to_string()],
                    age: None,
                    section: self.list_section.clone(),
                    is_item: self.list_section.is_some(),
                });
            }
            Line::Text(text) if next_is_dateline => {
                // The last line before a dateline paragraph is its headline. A headline
                // printed twice in a row is one title: drop the first copy.
                if let Some(current) = &mut self.current
                    && current.paragraphs.last().map(String::as_str) == Some(*text)
                {
                    current.paragraphs.pop();
                }
                self.close_current();
                if self.loose.last().map(String::as_str) == Some(*text) {
                    self.loose.pop();
                }
                self.headline = Some(strip_badge(text).to_string());
            }
            Line::Text(text) => match &mut self.current {
                Some(current) => current.paragraphs.push(text.to_string()),
                None => self.loose.push(text.to_string()),
            },
        }
    }

    /// An age that closes an entry ends the block above it, which makes that block an
    /// item. Loose lines above such an age are an item without a dateline.
    fn read_age(&mut self, age: &Age) {
        if self.current.is_none() {
            self.current = self.take_loose_block();
        }
        if let Some(mut block) = self.current.take() {
            // An entry of a listing page took the page's headline (its section name,
            // say); its own headline line is its title.
            if let Some(own) = self.own_headline.take()
                && own.is_some()
            {
                block.headline = own;
            }
            block.age.get_or_insert_with(|| age.clone());
            block.is_item = true;
            self.blocks.push(block);
        }
    }

    fn take_loose_block(&mut self) -> Option<Block> {
        self.note_chrome_section();
        let lines: Vec<String> = self
            .loose
            .drain(..)
            .filter(|line| !is_chrome(line))
            .collect();
        let (headline, paragraphs) = match lines.len() {
            0 => return None,
            // A lone line is a lead's headline and body (a page with an empty article),
            // or an item whose title will be its first sentence.
            1 if self.list_section.is_none() && self.blocks.is_empty() => {
                (Some(lines[0].clone()), lines)
            }
            1 => (None, lines),
            _ => (
                Some(strip_badge(&lines[0]).to_string()),
                lines[1..].to_vec(),
            ),
        };
        Some(Block {
            headline,
            dateline: None,
            paragraphs,
            age: None,
            section: self.list_section.clone(),
            is_item: self.list_section.is_some(),
        })
    }

    fn note_chrome_section(&mut self) {
        if self.chrome_section.is_none() && self.blocks.is_empty() && self.current.is_none() {
            self.chrome_section = self
                .loose
                .iter()
                .rev()
                .find(|line| SECTION_NAMES.contains(&line.as_str()))
                .cloned();
        }
    }

    fn close_current(&mut self) {
        self.own_headline = None;
        if let Some(block) = self.current.take() {
            self.blocks.push(block);
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.close_current();
        // DESIGN.md: text that matches none of the rules is still indexed, as one lead.
        if self.blocks.is_empty()
            && let Some(block) = self.take_loose_block()
        {
            self.blocks.push(block);
        }
        // DESIGN.md: the section comes from the page's "Meer uit" list; a section name in
        // the chrome stands in only on pages without one.
        let page_section = self.first_list_section.or(self.chrome_section);
        for block in &mut self.blocks {
            if block.section.is_none() {
                block.section = page_section.clone();
            }
        }
        self.blocks
    }
}

/// Site chrome: webmail links, date lines, edition pickers, section names.
fn is_chrome(line: &str) -> bool {
    // Chrome is short; a paragraph that mentions webmail is text.
    if line.len() > 100 {
        return false;
    }
    let lower = line.to_lowercase();
    lower.contains("webmail")
        || lower.starts_with("editie:")
        || crate::clock::parse_dutch_date(line).is_some()
        || SECTION_NAMES.contains(&line)
}

/// `ANP Schoof kan nog niet toezeggen ...` → `Schoof kan nog niet toezeggen ...`.
fn strip_badge(headline: &str) -> &str {
    for badge in BADGES {
        if let Some(title) = headline
            .strip_prefix(badge)
            .and_then(|rest| rest.strip_prefix(' '))
            && title.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
        {
            return title.trim_start();
        }
    }
    headline
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(page: &str) -> Vec<Block> {
        let lines: Vec<&str> = page.lines().collect();
        read_layout(&lines, None).blocks
    }

    fn summary(block: &Block) -> (Option<&str>, Option<&str>, bool, Option<&str>) {
        (
            block.headline.as_deref(),
            block.dateline.as_ref().map(|d| d.city.as_str()),
            block.is_item,
            block.age.as_ref().map(|a| a.text.as_str()),
        )
    }

    #[test]
    fn lead_and_glued_items() {
        let page = "Webmail\nKop van het stuk\nDEN HAAG (ANP) - Eerste alinea.\nTussenkop\nTweede alinea.\nMeer uit Politiek\nLONDEN (ANP) - Een.\n7 minuten geledenJUBA (ANP/AFP) - Twee.\n1 uur geleden";
        let blocks = blocks(page);
        let got: Vec<_> = blocks.iter().map(summary).collect();
        assert_eq!(
            got,
            vec![
                (Some("Kop van het stuk"), Some("Den Haag"), false, None),
                (None, Some("Londen"), true, Some("7 minuten geleden")),
                (None, Some("Juba"), true, Some("1 uur geleden")),
            ]
        );
        assert_eq!(
            blocks[0].paragraphs,
            vec!["Eerste alinea.", "Tussenkop", "Tweede alinea."]
        );
        assert!(
            blocks
                .iter()
                .all(|b| b.section.as_deref() == Some("Politiek"))
        );
    }

    #[test]
    fn items_with_headlines_and_badges() {
        let page = "Meer uit Binnenland\nANP Schoof kan nog niet toezeggen\nDEN HAAG (ANP) - Premier.\n5 minuten geleden\nTweede kop\nUTRECHT - Iets.\n2 uur geleden";
        let blocks = blocks(page);
        let got: Vec<_> = blocks.iter().map(summary).collect();
        assert_eq!(
            got,
            vec![
                (
                    Some("Schoof kan nog niet toezeggen"),
                    Some("Den Haag"),
                    true,
                    Some("5 minuten geleden")
                ),
                (
                    Some("Tweede kop"),
                    Some("Utrecht"),
                    true,
                    Some("2 uur geleden")
                ),
            ]
        );
    }

    #[test]
    fn headline_printed_twice_is_one_title() {
        let got = blocks("Politiek\nDe kop\nDe kop\nDEN HAAG (ANP) - Tekst.");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].headline.as_deref(), Some("De kop"));
        assert_eq!(got[0].section.as_deref(), Some("Politiek"));
    }

    #[test]
    fn section_listing_page_has_only_items() {
        let page = "maandag 3 november 2025\nSport\nKop een\nZANDVOORT (ANP) - Een.\n3 uur geleden\nKop twee\nASSEN (ANP) - Twee.\ngisteren";
        let layout = read_layout(&page.lines().collect::<Vec<_>>(), None);
        assert!(layout.blocks.iter().all(|b| b.is_item));
        assert!(
            layout
                .blocks
                .iter()
                .all(|b| b.section.as_deref() == Some("Sport"))
        );
        assert_eq!(layout.blocks.len(), 2);
        assert_eq!(
            layout.stated_date,
            crate::clock::parse_dutch_date("3 november 2025")
        );
    }

    #[test]
    fn page_without_dateline_is_one_lead() {
        let got = blocks("Webmail\nColumn: de stad\nEerste alinea.\nTweede alinea.");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].headline.as_deref(), Some("Column: de stad"));
        assert_eq!(got[0].dateline, None);
        assert!(!got[0].is_item);
        assert_eq!(got[0].paragraphs, vec!["Eerste alinea.", "Tweede alinea."]);
    }

    #[test]
    fn old_ages_in_an_article_are_sub_headings() {
        let got = blocks("Kop\nARNHEM (ANP) - Een.\n75 jaar geleden\nTwee.");
        assert_eq!(got.len(), 1);
        assert!(!got[0].is_item);
        assert_eq!(got[0].paragraphs, vec!["Een.", "75 jaar geleden", "Twee."]);
    }

    #[test]
    fn lead_without_dateline_runs_to_the_list() {
        let got = blocks(
            "Kop\nEen alinea zonder dateline.\nMeer uit Overijssel\nZWOLLE (ANP) - Een.\n5 minuten geleden",
        );
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].headline.as_deref(), Some("Kop"));
        assert_eq!(got[0].paragraphs, vec!["Een alinea zonder dateline."]);
        assert!(!got[0].is_item);
        assert_eq!(got[0].section.as_deref(), Some("Overijssel"));
        assert!(got[1].is_item);
    }

    #[test]
    fn page_cut_off_mid_item_keeps_the_partial_item() {
        let got = blocks(
            "Meer uit Buitenland\nPARIJS (AFP) - Een.\n3 uur geledenROME (ANP) - Het kabinet van",
        );
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].paragraphs, vec!["Het kabinet van"]);
        assert_eq!(got[1].age, None);
        assert!(got[1].is_item);
    }

    #[test]
    fn an_article_followed_by_an_age_is_an_item() {
        let got = blocks("Kop\nPARIJS (AFP) - Een.\n3 uur geleden");
        assert!(got[0].is_item);
    }

    #[test]
    fn empty_page_has_no_blocks() {
        assert!(blocks("").is_empty());
        assert!(blocks("Webmail\nKies je webmail").is_empty());
    }

    #[test]
    fn a_listing_page_of_old_entries_is_items_with_their_ages() {
        let page = "Politiek\nANP Kabinet stelt besluit uit\nDEN HAAG (ANP) - Het kabinet neemt later een besluit.\n1 jaar geleden\nANP Kamer wil debat\nDEN HAAG (ANP) - De Kamer wil een debat.\n5 jaar geleden\nVolgende pagina";
        let listing = blocks(page);
        let got: Vec<_> = listing.iter().map(summary).collect();
        assert_eq!(
            got,
            vec![
                (
                    Some("Kabinet stelt besluit uit"),
                    Some("Den Haag"),
                    true,
                    Some("1 jaar geleden")
                ),
                (
                    Some("Kamer wil debat"),
                    Some("Den Haag"),
                    true,
                    Some("5 jaar geleden")
                ),
            ]
        );
        // With the page's own headline (an HTML page's <h1>: the section's name), each
        // entry keeps its own.
        let lines: Vec<&str> = page.lines().collect();
        let listed = read_layout(&lines, Some("Politiek")).blocks;
        assert_eq!(
            listed[0].headline.as_deref(),
            Some("Kabinet stelt besluit uit")
        );
    }

    #[test]
    fn an_old_age_in_an_article_without_dateline_is_a_sub_heading() {
        let got = blocks("Kop\nEen alinea.\n75 jaar geleden\nTwee alinea.\nDrie alinea.");
        assert_eq!(got.len(), 1);
        assert!(!got[0].is_item);
        assert_eq!(got[0].age, None);
        assert_eq!(
            got[0].paragraphs,
            vec![
                "Een alinea.",
                "75 jaar geleden",
                "Twee alinea.",
                "Drie alinea."
            ]
        );
    }

    #[test]
    fn days_and_clock_times_close_entries_and_are_no_titles() {
        let page = "Meer uit Sport\nKop een\nZANDVOORT (ANP) - Een.\neergisteren\nKop twee\nASSEN (ANP) - Twee.\n14:35\nKop drie\nZWOLLE (ANP) - Drie.\nvandaag 14:35\nKop vier\nEPE (ANP) - Vier.\nza 12:03";
        let listing = blocks(page);
        let got: Vec<_> = listing.iter().map(summary).collect();
        assert_eq!(
            got,
            vec![
                (
                    Some("Kop een"),
                    Some("Zandvoort"),
                    true,
                    Some("eergisteren")
                ),
                (Some("Kop twee"), Some("Assen"), true, Some("14:35")),
                (
                    Some("Kop drie"),
                    Some("Zwolle"),
                    true,
                    Some("vandaag 14:35")
                ),
                (Some("Kop vier"), Some("Epe"), true, Some("za 12:03")),
            ]
        );
    }

    #[test]
    fn furniture_never_leads_or_ends_a_body() {
        let page = "Kop\nWed, 15 May 2019 06:08:13 GMT\n• www.telegraaf.nl\nDoor Jan de Vries\n3 minuten leestijd\nEerste alinea van het stuk.\nFoto: ANP\nTweede alinea.\nLees ook: Iets anders\nlees hele bericht";
        let layout = read_layout(&page.lines().collect::<Vec<_>>(), None);
        assert_eq!(layout.blocks.len(), 1);
        assert_eq!(layout.blocks[0].headline.as_deref(), Some("Kop"));
        assert_eq!(
            layout.blocks[0].paragraphs,
            vec!["Eerste alinea van het stuk.", "Tweede alinea."]
        );
        assert_eq!(
            layout.visible_time,
            Some(time::macros::datetime!(2019-05-15 06:08:13 UTC))
        );
    }
}

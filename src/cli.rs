//! The command line: clap types, converted at once into the library's plain types, and
//! one function per subcommand that wires the stages together.

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use dateline::{clock, extract, index, output, search};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Full-text search for folders of saved Dutch news pages.
#[derive(Debug, Parser)]
#[command(name = "dateline", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Index folders of saved pages (again: only what changed is read).
    Index(IndexArgs),
    /// Show the articles the extractor reads from pages, without indexing.
    Extract(ExtractArgs),
    /// Search the index.
    Search(SearchArgs),
    /// Show what the index holds.
    Stats(StatsArgs),
}

#[derive(Debug, Args)]
struct IndexLocation {
    /// The index folder.
    #[arg(
        long,
        env = "DATELINE_INDEX",
        default_value = "index",
        value_name = "DIR"
    )]
    index: PathBuf,
}

#[derive(Debug, Args)]
struct IndexArgs {
    /// Folders (walked recursively) or single pages.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    location: IndexLocation,
    /// Remove the existing index first and index from scratch.
    #[arg(long)]
    rebuild: bool,
    /// Only read files that match this glob (ripgrep's --glob: `*.html`, `2024/**`;
    /// `!G` leaves out what matches G). Repeatable; a later one wins.
    #[arg(long, short, value_name = "GLOB")]
    glob: Vec<String>,
    /// Leave out files and folders that match this glob (the same as --glob '!GLOB').
    /// Repeatable; wins over --glob.
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Print no warnings or summary.
    #[arg(long, short, conflicts_with = "verbose")]
    quiet: bool,
    /// List every file and folder left out, and why, on stderr.
    #[arg(long, short)]
    verbose: bool,
    /// Commit at least every this many seconds.
    #[arg(long, default_value_t = 10, value_name = "SECONDS", hide = true)]
    commit_interval: u64,
}

#[derive(Debug, Args)]
struct ExtractArgs {
    /// Pages to read.
    #[arg(required = true, value_name = "PAGE")]
    pages: Vec<PathBuf>,
    /// One JSON object per article, one per line.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct StatsArgs {
    /// One JSON object.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    location: IndexLocation,
}

#[derive(Debug, Args)]
struct SearchArgs {
    /// Words (all must match), "a phrase", OR, -excluded, title:word, body:(a OR b).
    #[arg(allow_hyphen_values = true)]
    query: String,
    /// Only articles from this agency (repeat for any of several).
    #[arg(long, value_name = "AGENCY")]
    agency: Vec<String>,
    /// Only articles with this dateline city (repeat for any of several; case and
    /// accents do not matter).
    #[arg(long, value_name = "CITY")]
    city: Vec<String>,
    /// Only articles in this section.
    #[arg(long)]
    section: Option<String>,
    /// Only articles from this outlet, e.g. nos.nl (repeat for any of several).
    #[arg(long, value_name = "OUTLET")]
    outlet: Vec<String>,
    /// Only articles in this language (ISO 639-1 code, e.g. nl, en).
    #[arg(long)]
    lang: Option<String>,
    /// Published at or after: 2026-01-25 or 2026-01-25T12:00:00Z.
    #[arg(long, value_name = "TIME", value_parser = parse_since)]
    since: Option<time::OffsetDateTime>,
    /// Published at or before: 2026-01-25 (the whole day) or 2026-01-25T12:00:00Z.
    #[arg(long, value_name = "TIME", value_parser = parse_until)]
    until: Option<time::OffsetDateTime>,
    /// How many hits to show.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=1000))]
    limit: u16,
    /// How many hits to skip.
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Order of hits.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    sort: SortArg,
    /// One JSON object.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    location: IndexLocation,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SortArg {
    Relevance,
    Date,
}

fn parse_since(text: &str) -> Result<time::OffsetDateTime, String> {
    clock::parse_user_time(text).ok_or_else(|| time_error(text))
}

fn parse_until(text: &str) -> Result<time::OffsetDateTime, String> {
    // A day means up to and including its last second.
    match clock::parse_day(text.trim()) {
        Some(day) => Ok(day.midnight().assume_utc() + time::Duration::seconds(86_399)),
        None => parse_since(text),
    }
}

fn time_error(text: &str) -> String {
    format!("'{text}' is not a time: use 2026-01-25 or 2026-01-25T12:00:00Z")
}

impl From<SearchArgs> for search::Request {
    fn from(args: SearchArgs) -> search::Request {
        search::Request {
            query: args.query,
            agencies: args.agency,
            cities: args.city,
            section: args.section,
            outlets: args.outlet,
            lang: args.lang,
            since: args.since,
            until: args.until,
            limit: usize::from(args.limit),
            offset: args.offset,
            sort: match args.sort {
                SortArg::Relevance => search::Sort::Relevance,
                SortArg::Date => search::Sort::Date,
            },
        }
    }
}

/// Runs the subcommand.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Index(args) => run_index(args),
        Command::Extract(args) => run_extract(args),
        Command::Search(args) => run_search(args),
        Command::Stats(args) => run_stats(args),
    }
}

fn run_index(args: IndexArgs) -> Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    let handler_stop = Arc::clone(&stop);
    // Without a handler Ctrl-C still stops the run; the last commit stays searchable.
    let _ = ctrlc::set_handler(move || {
        if handler_stop.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!(
            "dateline: stopping: committing what is indexed so far (Ctrl-C again to quit at once)"
        );
    });
    let options = index::Options {
        commit_interval: Duration::from_secs(args.commit_interval),
        rebuild: args.rebuild,
        globs: globs(&args),
        stop,
        ..index::Options::default()
    };
    let (quiet, verbose) = (args.quiet, args.verbose);
    let progress = (!quiet && io::stderr().is_terminal()).then(progress_bar);
    let say = |line: String| match &progress {
        Some(bar) => bar.println(line),
        None => eprintln!("{line}"),
    };
    let mut on_event = |event: index::Event<'_>| match event {
        index::Event::Warning { path, message } if !quiet => {
            say(format!("dateline: warning: {}: {message}", path.display()));
        }
        index::Event::LeftOut { path, reason } if verbose => {
            let folder = if path.is_dir() { "/" } else { "" };
            say(format!(
                "dateline: left out: {}{folder}: {reason}",
                path.display()
            ));
        }
        index::Event::Progress { done, total } => {
            if let Some(bar) = &progress {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            }
        }
        _ => {}
    };
    let summary = index::update(&args.location.index, &args.paths, &options, &mut on_event);
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    let summary = summary?;
    if !quiet {
        eprintln!("{}", describe(&summary));
    }
    if summary.interrupted {
        anyhow::bail!(
            "interrupted; what was indexed is committed: run the same command again to finish"
        );
    }
    Ok(())
}

/// `--glob G` as it is, `--exclude G` as `!G` after them, so that it wins.
fn globs(args: &IndexArgs) -> Vec<String> {
    args.glob
        .iter()
        .cloned()
        .chain(args.exclude.iter().map(|glob| format!("!{glob}")))
        .collect()
}

/// Pages per second and time left, on stderr, for long runs at a terminal.
fn progress_bar() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    let style = indicatif::ProgressStyle::with_template(
        "{bar:40} {pos}/{len} pages · {per_sec} · {eta} left",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

fn describe(summary: &index::Summary) -> String {
    let left_out: usize = summary.left_out.values().sum();
    let reasons: Vec<String> = summary
        .left_out
        .iter()
        .map(|(reason, count)| format!("{reason} {count}"))
        .collect();
    let left_out = if left_out == 0 {
        "0 left out".to_string()
    } else {
        format!("{left_out} left out ({})", reasons.join(", "))
    };
    format!(
        "indexed {} pages in {:.1} s: {} articles read, {} duplicates merged, {} stories written, {} removed; {} pages unchanged, {} removed, {} skipped, {left_out}; {} articles in the index",
        summary.pages_read,
        summary.elapsed.as_secs_f64(),
        summary.articles_read,
        summary.articles_deduplicated,
        summary.stories_written,
        summary.stories_removed,
        summary.pages_unchanged,
        summary.pages_removed,
        summary.pages_skipped,
        summary.articles_in_index,
    )
}

fn run_extract(args: ExtractArgs) -> Result<()> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut failed = 0;
    for path in &args.pages {
        let page = match read_page(path) {
            Ok(page) => page,
            Err(error) => {
                eprintln!("dateline: warning: {}: {error:#}", path.display());
                failed += 1;
                continue;
            }
        };
        match extract::articles(&page) {
            Ok(articles) if args.json => output::json::write_articles(&mut out, path, &articles)?,
            Ok(articles) => output::human::write_articles(&mut out, path, &articles)?,
            Err(error) => {
                eprintln!("dateline: warning: {}: {error}", path.display());
                failed += 1;
            }
        }
    }
    out.flush()?;
    if failed > 0 {
        anyhow::bail!("{failed} of {} pages gave no articles", args.pages.len());
    }
    Ok(())
}

fn read_page(path: &Path) -> Result<extract::Page> {
    let bytes = std::fs::read(path).with_context(|| "reading page".to_string())?;
    let modified = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .map(time::OffsetDateTime::from);
    Ok(extract::Page {
        path: path.to_path_buf(),
        bytes,
        modified,
    })
}

fn run_search(args: SearchArgs) -> Result<()> {
    let json = args.json;
    let index = index::open(&args.location.index)?;
    let hits = search::run(&index, &search::Request::from(args))?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    if json {
        output::json::write(&mut out, &hits)?;
    } else {
        output::human::write(&mut out, &hits, use_color())?;
    }
    out.flush()?;
    Ok(())
}

fn run_stats(args: StatsArgs) -> Result<()> {
    let index = index::open(&args.location.index)?;
    let stats = index::stats(&index, &args.location.index)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        output::json::write_stats(&mut out, &stats)?;
    } else {
        output::human::write_stats(&mut out, &stats)?;
    }
    out.flush()?;
    Ok(())
}

/// Colour on a terminal, unless `NO_COLOR` is set (no-color.org).
fn use_color() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn search_flags_become_a_request() {
        let cli = Cli::try_parse_from([
            "dateline",
            "search",
            "Peskov",
            "--agency",
            "DPA",
            "--agency",
            "RTR",
            "--until",
            "2026-01-25",
            "--sort",
            "date",
            "--limit",
            "5",
        ])
        .unwrap();
        let Command::Search(args) = cli.command else {
            panic!("not a search")
        };
        let request = search::Request::from(args);
        assert_eq!(request.agencies, vec!["DPA", "RTR"]);
        assert_eq!(request.limit, 5);
        assert_eq!(request.sort, search::Sort::Date);
        assert_eq!(
            request.until.map(clock::rfc3339).as_deref(),
            Some("2026-01-25T23:59:59Z")
        );
    }

    #[test]
    fn globs_and_excludes_become_ripgrep_globs() {
        let cli = Cli::try_parse_from([
            "dateline",
            "index",
            "pages",
            "--exclude",
            "oud/",
            "-g",
            "*.html",
            "--glob",
            "!*.tmp.html",
            "--verbose",
        ])
        .unwrap();
        let Command::Index(args) = cli.command else {
            panic!("not an index run")
        };
        assert!(args.verbose);
        assert_eq!(globs(&args), ["*.html", "!*.tmp.html", "!oud/"]);
        let both = Cli::try_parse_from(["dateline", "index", "pages", "--quiet", "--verbose"]);
        assert_eq!(both.unwrap_err().exit_code(), 2);
    }

    #[test]
    fn bad_flag_values_are_usage_errors() {
        for argv in [
            &["dateline", "search", "x", "--limit", "0"][..],
            &["dateline", "search", "x", "--sort", "score"],
            &["dateline", "search", "x", "--since", "gisteren"],
            &["dateline", "index"],
        ] {
            let error = Cli::try_parse_from(argv).unwrap_err();
            assert_eq!(error.exit_code(), 2, "{argv:?}");
        }
    }
}

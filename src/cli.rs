//! The command line: clap types, converted at once into the library's plain types, and
//! one function per subcommand that wires the stages together.

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use dateline::archive::Archive;
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
    /// Show whole articles by the ids search prints.
    Show(ShowArgs),
    /// Print every article a search matches, as JSON lines or CSV.
    Export(ExportArgs),
    /// Count a search's matches per day, week, month or year.
    Timeline(TimelineArgs),
    /// Show what the index holds.
    Stats(StatsArgs),
    /// Search the index in a browser: a local web page and a JSON API.
    Serve(ServeArgs),
    /// Saved searches: what is new about them since they were last shown.
    Follow(FollowArgs),
    /// Print a shell completion script: dateline completions bash > ~/.local/share/bash-completion/completions/dateline
    Completions(CompletionsArgs),
    /// Print the manual page (roff): dateline man | man -l -
    Man,
}

#[derive(Debug, Args)]
struct IndexLocation {
    /// The index folder, or an OpenSearch cluster's index:
    /// http://host:9200/dateline (several nodes: http://h1:9200,http://h2:9200/dateline).
    #[arg(
        long,
        env = "DATELINE_INDEX",
        default_value = "index",
        value_name = "DIR|URL"
    )]
    index: PathBuf,
}

impl IndexLocation {
    /// The cluster `--index` names, if it is a URL.
    fn cluster(&self) -> Result<Option<dateline::cluster::Address>> {
        let text = self.index.to_string_lossy();
        if !dateline::cluster::is_url(&text) {
            return Ok(None);
        }
        dateline::cluster::Address::parse(&text).map(Some)
    }
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
    /// After indexing, keep watching the folders and index pages as they are saved,
    /// changed, renamed or deleted (one line per batch on stderr; Ctrl-C stops).
    #[arg(long)]
    watch: bool,
    /// With --watch: look at the folders every two seconds instead of being told by the
    /// OS (for network folders, whose changes the OS does not report).
    #[arg(long, requires = "watch")]
    poll: bool,
    /// With a cluster --index: primary shards of an index it creates.
    #[arg(long, default_value_t = 3, value_name = "N")]
    shards: u32,
    /// With a cluster --index: copies of each shard in an index it creates.
    #[arg(long, default_value_t = 1, value_name = "N")]
    replicas: u32,
}

#[derive(Debug, Args)]
struct ExtractArgs {
    /// Pages to read, or folders of pages (read as `index` reads them).
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

/// The query and the filters: the same for `search`, `export` and `timeline`.
#[derive(Debug, Args)]
struct Filters {
    /// Words (all must match), "a phrase", OR, -excluded, title:word, body:(a OR b), or
    /// '*' for every article.
    #[arg(allow_hyphen_values = true)]
    query: String,
    /// Only articles from this agency: its code or name (ANP, Reuters; repeat for any
    /// of several).
    #[arg(long, value_name = "AGENCY")]
    agency: Vec<String>,
    /// Only articles with this dateline city, by any of its names (repeat for any of
    /// several; case and accents do not matter).
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
    /// Published from: 2019, 2019-05, 2019-05-14 (Amsterdam time), 2019-05-14T12:00:00Z,
    /// or 7d, 24h, 2w (that long ago).
    #[arg(long, value_name = "WHEN", value_parser = check_span)]
    since: Option<String>,
    /// Published up to and including: 2019 (the whole year), 2019-05, 2019-05-14,
    /// 2019-05-14T12:00:00Z, or 7d, 24h, 2w (that long ago).
    #[arg(long, value_name = "WHEN", value_parser = check_span)]
    until: Option<String>,
}

impl Filters {
    /// The query and filters as typed: what `follow add` saves.
    fn into_criteria(self) -> search::Criteria {
        search::Criteria {
            query: self.query,
            agencies: self.agency,
            cities: self.city,
            section: self.section,
            outlets: self.outlet,
            lang: self.lang,
            since: self.since,
            until: self.until,
        }
    }

    fn into_request(self, limit: usize, offset: usize, sort: SortArg) -> Result<search::Request> {
        let request = self
            .into_criteria()
            .request(time::OffsetDateTime::now_utc())?;
        Ok(search::Request {
            limit,
            offset,
            sort: match sort {
                SortArg::Relevance => search::Sort::Relevance,
                SortArg::Date => search::Sort::Date,
                SortArg::Oldest => search::Sort::Oldest,
            },
            ..request
        })
    }
}

#[derive(Debug, Args)]
struct SearchArgs {
    #[command(flatten)]
    filters: Filters,
    /// How many hits to show (any number; `export` prints them all).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    limit: u32,
    /// How many hits to skip (hits are numbered from offset + 1).
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Order of hits: relevance (for '*': newest first), date (newest first), oldest.
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
    Oldest,
}

#[derive(Debug, Args)]
struct ShowArgs {
    /// Article ids as search prints them; 6 or more of the first digits are enough.
    #[arg(required = true, value_name = "ID")]
    ids: Vec<String>,
    /// One JSON object per article, one per line.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    location: IndexLocation,
}

#[derive(Debug, Args)]
struct ExportArgs {
    #[command(flatten)]
    filters: Filters,
    /// jsonl: one JSON object per article and line (search's hit fields, body, pages,
    /// urls); csv: a header row, then one row per article.
    #[arg(long, value_enum, default_value_t = FormatArg::Jsonl)]
    format: FormatArg,
    /// Order: relevance (for '*': newest first), date (newest first), oldest.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    sort: SortArg,
    #[command(flatten)]
    location: IndexLocation,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Jsonl,
    Csv,
}

#[derive(Debug, Args)]
struct TimelineArgs {
    #[command(flatten)]
    filters: Filters,
    /// Period of a bar (Amsterdam time; weeks start on Monday). Default: chosen by the
    /// range, about a hundred bars at most.
    #[arg(long, value_enum)]
    by: Option<PeriodArg>,
    /// Count each period's matches per value of this facet too (the 10 most frequent,
    /// the rest as "(other)").
    #[arg(long, value_enum)]
    split: Option<SplitArg>,
    /// One JSON object.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    location: IndexLocation,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum PeriodArg {
    Day,
    Week,
    Month,
    Year,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SplitArg {
    Agency,
    City,
    Section,
    Outlet,
}

#[derive(Debug, Args)]
struct ServeArgs {
    #[command(flatten)]
    location: IndexLocation,
    /// The port to listen on (0: any free one; the address is printed).
    #[arg(long, default_value_t = 7700)]
    port: u16,
    /// The address to listen on. Other machines can reach the index only if this is
    /// not a loopback address such as the default.
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Open the page in the default browser.
    #[arg(long)]
    open: bool,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
struct FollowArgs {
    #[command(subcommand)]
    action: Option<FollowAction>,
    /// The saved searches to show (all of them when none is named): the articles that
    /// came into the index since each was last shown, newest first.
    #[arg(value_name = "NAME")]
    names: Vec<String>,
    /// Show what is new without remembering that it was shown.
    #[arg(long)]
    peek: bool,
    /// One JSON object per saved search and line: {"name", "query", "filters", "since",
    /// "new": [hits], "updated": [hits], "restarted"}.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    location: IndexLocation,
}

#[derive(Debug, Subcommand)]
enum FollowAction {
    /// Save a search: from now on, articles the index gains that match it are new.
    Add(FollowAddArgs),
    /// List the saved searches.
    List(FollowListArgs),
    /// Remove a saved search.
    Rm(FollowRmArgs),
}

#[derive(Debug, Args)]
struct FollowAddArgs {
    /// The name to show it by (letters, digits, - and _).
    name: String,
    #[command(flatten)]
    filters: Filters,
    #[command(flatten)]
    location: IndexLocation,
}

#[derive(Debug, Args)]
struct FollowListArgs {
    /// One JSON object per saved search and line.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    location: IndexLocation,
}

#[derive(Debug, Args)]
struct FollowRmArgs {
    /// The saved search to remove.
    name: String,
    #[command(flatten)]
    location: IndexLocation,
}

#[derive(Debug, Args)]
struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// A time as `--since`/`--until` take it, checked here so that clap names the flag; kept
/// as typed (a saved search counts `7d` back from each time it runs).
fn check_span(text: &str) -> Result<String, String> {
    match clock::parse_user_span(text, time::OffsetDateTime::now_utc()) {
        Some(_) => Ok(text.to_string()),
        None => Err(format!(
            "'{text}' is not a time: use 2019, 2019-05, 2019-05-14, 2019-05-14T12:00:00Z, or 7d, 24h, 2w (that long ago)"
        )),
    }
}

/// Runs the subcommand.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Index(args) => run_index(args),
        Command::Extract(args) => run_extract(args),
        Command::Search(args) => run_search(args),
        Command::Show(args) => run_show(args),
        Command::Export(args) => run_export(args),
        Command::Timeline(args) => run_timeline(args),
        Command::Stats(args) => run_stats(args),
        Command::Serve(args) => run_serve(args),
        Command::Follow(args) => run_follow(args),
        Command::Completions(args) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(args.shell, &mut command, "dateline", &mut io::stdout());
            Ok(())
        }
        Command::Man => {
            let command = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(command).render(&mut io::stdout())?;
            Ok(())
        }
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
        eprintln!("dateline: stopping: committing what is indexed (Ctrl-C again to quit at once)");
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
    let mut first_run = true;
    let watched = args
        .paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
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
        // The bar is for the first run; a watcher's batches get a line each.
        index::Event::Progress { done, total } if first_run => {
            if let Some(bar) = &progress {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            }
        }
        // Watching: the first run's summary, then a line per batch.
        index::Event::Updated { summary } if !quiet => {
            if let Some(bar) = &progress {
                bar.finish_and_clear();
            }
            if first_run {
                first_run = false;
                say(describe(summary));
            } else {
                let now = time::OffsetDateTime::now_utc();
                let clock = now.to_offset(clock::amsterdam_offset(now));
                say(format!(
                    "dateline: {:02}:{:02}:{:02} {}",
                    clock.hour(),
                    clock.minute(),
                    clock.second(),
                    summary.batch_line()
                ));
            }
        }
        index::Event::Watching { polling, why } if !quiet => {
            let how = if polling {
                format!("looking at them every {} s", index::POLL_INTERVAL.as_secs())
            } else {
                "the OS reports changes".to_string()
            };
            let why = why.map(|why| format!(" ({why})")).unwrap_or_default();
            say(format!(
                "dateline: watching {} for changes, {how}{why}; Ctrl-C stops",
                watched
            ));
        }
        _ => {}
    };
    let indexer = match args.location.cluster()? {
        Some(address) => {
            let layout = dateline::cluster::Layout {
                shards: args.shards,
                replicas: args.replicas,
            };
            let store = dateline::cluster::ClusterStore::open(&address, args.rebuild, layout)?;
            index::Indexer::open_store(Box::new(store), &args.paths, &options, &mut on_event)?
        }
        None => index::Indexer::open(&args.location.index, &args.paths, &options, &mut on_event)?,
    };
    if args.watch {
        index::watch(indexer, &options, args.poll)?;
        if !quiet {
            eprintln!("dateline: stopped watching; everything indexed is committed");
        }
        return Ok(());
    }
    finish_run(indexer.run(), progress.as_ref(), quiet)
}

/// The end of an indexing run: its summary, or why it stopped.
fn finish_run(
    summary: Result<index::Summary>,
    progress: Option<&indicatif::ProgressBar>,
    quiet: bool,
) -> Result<()> {
    if let Some(bar) = progress {
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
    let style =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} pages · {rate} · {eta} left")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            // indicatif's own {per_sec} prints `7512.3456/s`.
            .with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{} pages/s", thousands(state.per_sec().round() as u64));
                },
            );
    bar.set_style(style);
    bar
}

/// `7512` → `7,512`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
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
    let mut left_out = 0;
    let pages = index::pages_under(&args.pages, &mut |notice| match notice {
        index::Notice::LeftOut { .. } => left_out += 1,
        index::Notice::Unreadable { path, message } => {
            eprintln!("dateline: warning: {}: {message}", path.display());
        }
    })?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut failed = 0;
    for path in &pages {
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
            // Found in a folder, a file that is not a page is left out, as `index` does.
            Err(extract::PageError::NotAPage(_)) if !args.pages.contains(path) => left_out += 1,
            Err(error) => {
                eprintln!("dateline: warning: {}: {error}", path.display());
                failed += 1;
            }
        }
    }
    out.flush()?;
    if left_out > 0 {
        eprintln!(
            "dateline: {left_out} files or folders left out as not pages (dateline index --verbose lists them)"
        );
    }
    if failed > 0 {
        anyhow::bail!("{failed} of {} pages gave no articles", pages.len());
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
    let limit = usize::try_from(args.limit).unwrap_or(usize::MAX);
    let archive = Archive::open(&args.location.index, false)?;
    let request = args.filters.into_request(limit, args.offset, args.sort)?;
    let hits = archive.search(&request)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    if json {
        output::json::write(&mut out, &hits)?;
    } else {
        output::human::write(&mut out, &hits, use_color())?;
    }
    out.flush()?;
    Ok(())
}

fn run_follow(args: FollowArgs) -> Result<()> {
    use dateline::follow;
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.action {
        Some(FollowAction::Add(add)) => {
            let archive = Archive::open(&add.location.index, false)?;
            let criteria = add.filters.into_criteria();
            let described = criteria.describe();
            let added = follow::add(&archive, &add.name, criteria)?;
            // A saved search follows its query as typed: say when that finds nothing.
            let now = if added.corrected.is_some() || added.any_word {
                "no article matches it as typed now".to_string()
            } else {
                match added.total {
                    1 => "1 article matches now".to_string(),
                    n => format!("{} articles match now", thousands(n as u64)),
                }
            };
            writeln!(
                out,
                "saved '{}' ({described}): {now}; 'dateline follow {}' shows what comes in from here on",
                add.name, add.name
            )?;
            if let Some(corrected) = &added.corrected {
                writeln!(
                    out,
                    "did you mean \"{corrected}\" ({} now)? to follow that: dateline follow rm {} && dateline follow add {} \"{corrected}\"",
                    thousands(added.total as u64),
                    add.name,
                    add.name
                )?;
            }
            for (filter, total) in added.without_filters.iter().filter(|(_, n)| *n > 0) {
                writeln!(
                    out,
                    "{} articles match without {filter}",
                    thousands(*total as u64)
                )?;
            }
        }
        Some(FollowAction::List(list)) => {
            let saved = follow::list(&Archive::open(&list.location.index, false)?)?;
            if list.json {
                output::json::write_saved(&mut out, &saved)?;
            } else {
                output::human::write_saved(&mut out, &saved)?;
            }
        }
        Some(FollowAction::Rm(rm)) => {
            let removed = follow::remove(&Archive::open(&rm.location.index, false)?, &rm.name)?;
            writeln!(
                out,
                "removed '{}' ({})",
                removed.name,
                removed.criteria.describe()
            )?;
        }
        None => {
            let followed = follow::show(
                &Archive::open(&args.location.index, false)?,
                &args.names,
                !args.peek,
            )?;
            if args.json {
                output::json::write_followed(&mut out, &followed)?;
            } else if followed.is_empty() {
                writeln!(
                    out,
                    "no saved searches; save one with: dateline follow add <NAME> <QUERY> [filters]"
                )?;
            } else {
                output::human::write_followed(&mut out, &followed, use_color())?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

fn run_show(args: ShowArgs) -> Result<()> {
    let articles = Archive::open(&args.location.index, false)?.find_stories(&args.ids)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    // Wrapped for a terminal; piped text keeps its paragraphs as lines.
    let width = io::stdout().is_terminal().then(terminal_width);
    for (n, article) in articles.iter().enumerate() {
        if args.json {
            output::json::write_article(&mut out, article)?;
        } else {
            if n > 0 {
                writeln!(out, "{}", "─".repeat(width.unwrap_or(80).min(80)))?;
            }
            output::human::write_article(&mut out, article, width, use_color())?;
        }
    }
    out.flush()?;
    Ok(())
}

/// The terminal's width in columns, at most 100 (longer lines are hard to read).
fn terminal_width() -> usize {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .or_else(|| {
            let (_, columns) = console::Term::stdout().size_checked()?;
            Some(usize::from(columns))
        })
        .unwrap_or(80);
    columns.clamp(20, 100)
}

fn run_export(args: ExportArgs) -> Result<()> {
    let archive = Archive::open(&args.location.index, false)?;
    let request = args.filters.into_request(0, 0, args.sort)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        FormatArg::Jsonl => {
            archive.each_match(&request, |article| {
                Ok(output::json::write_article(&mut out, &article)?)
            })?;
        }
        FormatArg::Csv => {
            let mut rows = output::csv::Rows::new(&mut out)?;
            archive.each_match(&request, |article| Ok(rows.write(&article)?))?;
            rows.flush()?;
        }
    }
    out.flush()?;
    Ok(())
}

fn run_timeline(args: TimelineArgs) -> Result<()> {
    let archive = Archive::open(&args.location.index, false)?;
    let request = args.filters.into_request(0, 0, SortArg::Relevance)?;
    let by = args.by.map(|by| match by {
        PeriodArg::Day => search::timeline::Period::Day,
        PeriodArg::Week => search::timeline::Period::Week,
        PeriodArg::Month => search::timeline::Period::Month,
        PeriodArg::Year => search::timeline::Period::Year,
    });
    let split = args.split.map(|split| match split {
        SplitArg::Agency => search::timeline::Split::Agency,
        SplitArg::City => search::timeline::Split::City,
        SplitArg::Section => search::timeline::Split::Section,
        SplitArg::Outlet => search::timeline::Split::Outlet,
    });
    let timeline = archive.timeline(&request, by, split)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    if args.json {
        output::json::write_timeline(&mut out, &timeline)?;
    } else {
        output::human::write_timeline(&mut out, &timeline)?;
    }
    out.flush()?;
    Ok(())
}

fn run_serve(args: ServeArgs) -> Result<()> {
    let options = dateline::serve::Options {
        index: args.location.index.clone(),
        bind: args.bind,
        port: args.port,
    };
    dateline::serve::serve(&options, |address| {
        let url = format!("http://{address}/");
        eprintln!(
            "dateline: serving {} at {url} (Ctrl-C stops)",
            dateline::cluster::redact(&args.location.index.to_string_lossy())
        );
        if args.open {
            let opener = if cfg!(target_os = "macos") {
                "open"
            } else {
                "xdg-open"
            };
            // The opener's own complaints are replaced by one line that says what to do.
            let opened = std::process::Command::new(opener)
                .arg(&url)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn();
            std::thread::spawn(move || {
                let worked = opened.and_then(|mut child| child.wait());
                if !worked.is_ok_and(|status| status.success()) {
                    eprintln!("dateline: could not open a browser ({opener}); open {url}");
                }
            });
        }
    })
}

fn run_stats(args: StatsArgs) -> Result<()> {
    let stats = Archive::open(&args.location.index, false)?.stats()?;
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
        let request = args.filters.into_request(5, 0, args.sort).unwrap();
        assert_eq!(request.agencies, vec!["DPA", "RTR"]);
        assert_eq!(request.limit, 5);
        assert_eq!(request.sort, search::Sort::Date);
        // The whole Amsterdam day (CET in January).
        assert_eq!(
            request.until.map(clock::rfc3339).as_deref(),
            Some("2026-01-25T22:59:59Z")
        );
    }

    #[test]
    fn rates_are_rounded_with_thousands_separated() {
        assert_eq!(thousands(7512), "7,512");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(0), "0");
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
            &["dateline", "timeline", "x", "--by", "hour"],
            &["dateline", "export", "x", "--format", "xml"],
            &["dateline", "show"],
            &["dateline", "completions", "cmd"],
            &["dateline", "search", "x", "--sort", "score"],
            &["dateline", "search", "x", "--since", "gisteren"],
            &["dateline", "index"],
        ] {
            let error = Cli::try_parse_from(argv).unwrap_err();
            assert_eq!(error.exit_code(), 2, "{argv:?}");
        }
    }
}

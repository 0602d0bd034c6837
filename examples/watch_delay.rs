//! How long a page saved into a watched folder takes to become searchable, and what
//! watching costs while nothing changes.
//!
//! Starts `dateline index <folder> --watch` (the binary given, so a release build is
//! measured), waits for the first run, samples the watcher's CPU time over an idle
//! minute, then saves N pages one by one into a new subfolder, each with a word no
//! other page has, and times each from the file's close until the query parser finds
//! the word in the committed index (a reader reloaded every 10 ms). Prints the median,
//! the 90th percentile and the worst, and removes the pages again.
//!
//! cargo build --release && cargo run --release --example watch_delay -- \
//!     target/release/dateline /tmp/idx /tmp/pages 100 [idle seconds] [--poll]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let poll = args.iter().any(|a| a == "--poll");
    let args: Vec<&String> = args.iter().filter(|a| *a != "--poll").collect();
    let (binary, index_dir, folder, drops, idle) = match &args[..] {
        [binary, index, folder, drops, rest @ ..] => (
            PathBuf::from(binary),
            PathBuf::from(index),
            PathBuf::from(folder),
            drops.parse::<usize>().expect("a number of pages"),
            rest.first()
                .map_or(60, |s| s.parse::<u64>().expect("idle seconds")),
        ),
        _ => {
            eprintln!(
                "usage: watch_delay <dateline binary> <index dir> <folder> <pages> [idle seconds] [--poll]"
            );
            std::process::exit(2);
        }
    };
    let mut command = Command::new(&binary);
    command
        .arg("index")
        .arg(&folder)
        .arg("--index")
        .arg(&index_dir)
        .arg("--watch")
        .stderr(Stdio::piped())
        .stdout(Stdio::null());
    if poll {
        command.arg("--poll");
    }
    let mut child = command.spawn().expect("starting dateline");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    for line in lines.by_ref() {
        let line = line.unwrap();
        eprintln!("{line}");
        if line.contains("watching") {
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    let pid = child.id();

    // Idle: the watcher's CPU time over a minute with nothing changing.
    let ticks = ticks_per_second();
    let before = cpu_ticks(pid);
    std::thread::sleep(Duration::from_secs(idle));
    let used = (cpu_ticks(pid) - before) as f64 / ticks;
    println!(
        "idle {idle} s: {used:.2} s of CPU ({:.2}% of one core)",
        used / idle as f64 * 100.0
    );

    let index = dateline::index::open(&index_dir).expect("opening the index");
    let reader = dateline::index::reader(&index).expect("a reader");
    let drop_dir = folder.join(format!("watch-delay-{}", std::process::id()));
    std::fs::create_dir_all(&drop_dir).unwrap();
    let mut delays = Vec::with_capacity(drops);
    for n in 0..drops {
        let word = format!("wachtwoordloos{n}qx");
        let page = format!(
            "Vondst nummer {n}\nLEIDEN (ANP) - In Leiden is dinsdag een {word} gezien in de Hortus, meldt de tuin. Biologen waren verrast door vondst {n}.\n"
        );
        let path = drop_dir.join(format!("pagina-{n:03}.txt"));
        std::fs::write(&path, page).unwrap();
        let written = Instant::now();
        let request = dateline::search::Request::new(&word);
        loop {
            reader.reload().unwrap();
            let (total, _) = dateline::search::count_and_top(&reader.searcher(), &request).unwrap();
            if total > 0 {
                break;
            }
            assert!(
                written.elapsed() < Duration::from_secs(60),
                "page {n} not searchable after a minute"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        delays.push(written.elapsed());
        // Pages come one by one, as a person saves them.
        std::thread::sleep(Duration::from_millis(200));
    }
    delays.sort();
    let at = |p: f64| delays[((delays.len() as f64 * p) as usize).min(delays.len() - 1)];
    println!(
        "{drops} pages one by one, write to searchable: median {:.0} ms, p90 {:.0} ms, worst {:.0} ms",
        at(0.5).as_secs_f64() * 1000.0,
        at(0.9).as_secs_f64() * 1000.0,
        delays[delays.len() - 1].as_secs_f64() * 1000.0
    );
    std::fs::remove_dir_all(&drop_dir).unwrap();
    // Let the watcher take them out again before it stops.
    std::thread::sleep(Duration::from_secs(3));
    let _ = Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status();
    let _ = child.wait();
}

/// utime + stime of a process, in clock ticks (/proc/PID/stat fields 14 and 15).
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("reading /proc");
    // The command name may hold spaces: fields are counted after its closing paren.
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

fn ticks_per_second() -> f64 {
    let output = Command::new("getconf").arg("CLK_TCK").output();
    output
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

#!/usr/bin/env python3
"""dateline's benchmark harness: one command, a table.

    python3 bench/run.py                 # the whole leestmeer corpus (99,565 pages)
    python3 bench/run.py --limit 10000   # a quicker run on the first 10,000 items
    python3 bench/run.py --scale 100000,300000,1000000

It builds the release binary and the bench examples, converts the leestmeer corpus in
../shared into a folder of HTML pages (once; kept in --work), then measures:

- floor: walk, read, decode and extract every page in parallel, index nothing
  (examples/extract_floor);
- index: `dateline index` from scratch; wall time and peak RSS from the OS (wait4);
- again: the same run on the unchanged folder; touched: after touching 1% of the pages
  (each the median of three runs);
- queries in-process (examples/query_bench): p50 and p99 over 200 runs of each of 22
  queries, plain and filtered by agency or section, in three stages: counted (top 10 and
  exact count, the reference engines' workload), ranked (also agency/city/section facet
  counts) and shown (also reading the 10 articles and cutting their snippets);
- process: the whole `dateline search` command, median of 21 runs.

--scale measures how indexing grows: for each size it generates a folder of that many new
pages mixing the corpus's text (examples/generate_pages, seed 1; once, kept in --work),
indexes it from scratch (wall time, peak RSS, index size) and runs the in-process queries
on the result.

Figures depend on the machine: print them with its core count (they are).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "leestmeer" / "leestmeer-2012-2019-07.jsonl.gz"
RELEASE = REPO / "target" / "release"


def measure(command, stdout=subprocess.DEVNULL):
    """Runs a command; returns (seconds, peak RSS in MB, exit code)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"failed ({code}): {' '.join(map(str, command))}\n{process.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024, code


def folder_mb(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 1e6


def du_mb(path):
    """Disk usage (blocks, not bytes): what a folder of small files really takes."""
    out = subprocess.run(["du", "-sk", path], check=True, capture_output=True, text=True).stdout
    return int(out.split()[0]) / 1024


def medians(rows, workload, stage):
    """The median over queries of each one's p50 and p99."""
    mine = [r for r in rows if r["workload"] == workload and r["stage"] == stage]
    return statistics.median(r["p50_us"] for r in mine), statistics.median(r["p99_us"] for r in mine)


def scale(work, sizes, runs):
    dateline = RELEASE / "dateline"
    index = work / "scale-index"
    rows = []
    generator_sources = [REPO / "examples" / "generate_pages.rs", REPO / "examples" / "leestmeer" / "convert.rs"]
    for size in sizes:
        pages = work / f"scale-{size}"
        marker = pages / ".generated"
        # A folder is reused only if complete and made by the generator as it is now.
        if not (marker.exists() and marker.read_text() == f"pages {size} seed 1\n"
                and all(marker.stat().st_mtime > f.stat().st_mtime for f in generator_sources)):
            shutil.rmtree(pages, ignore_errors=True)
            seconds, rss, _ = measure([RELEASE / "examples" / "generate_pages", pages, "--pages", str(size)])
            print(f"generated {size:,} pages in {seconds:.1f} s ({size / seconds:,.0f} pages/s, "
                  f"peak RSS {rss:.0f} MB)", file=sys.stderr)
        shutil.rmtree(index, ignore_errors=True)
        index_s, index_rss, _ = measure([dateline, "index", pages, "--index", index, "--quiet"])
        stats = json.loads(subprocess.run([dateline, "stats", "--json", "--index", index],
                                          check=True, capture_output=True, text=True).stdout)
        query_rows = json.loads(subprocess.run(
            [RELEASE / "examples" / "query_bench", index, str(runs)],
            check=True, capture_output=True, text=True).stdout)
        p50, p99 = medians(query_rows, "plain", "ranked")
        counted_p50, _ = medians(query_rows, "plain", "counted")
        rows.append((size, index_s, index_rss, folder_mb(index), counted_p50, p50, p99, stats["articles"],
                     du_mb(pages)))
        print(f"{size:,} pages: indexed in {index_s:.1f} s, peak RSS {index_rss:.0f} MB; "
              f"query p50 {counted_p50:.0f} µs counted, {p50:.0f} µs ranked", file=sys.stderr)

    print(f"\n## dateline on generated pages ({os.cpu_count()} cores)\n")
    print("| pages | index wall s | s per 100k pages | peak RSS MB | index MB | counted p50 µs | ranked p50 µs | ranked p99 µs |")
    print("|---|---|---|---|---|---|---|---|")
    for size, index_s, rss, index_mb, counted_p50, p50, p99, _, _ in rows:
        print(f"| {size:,} | {index_s:.1f} | {index_s * 100_000 / size:.1f} | {rss:.0f} | {index_mb:.1f} | "
              f"{counted_p50:.0f} | {p50:.0f} | {p99:.0f} |")
    print("\nqueries: the 22 plain queries of examples/query_bench; counted: top 10 + exact count; ranked: "
          f"also the facet counts; medians over queries of each one's p50 and p99 over {runs} runs\n")
    print("| pages | articles in the index | pages on disk MB |")
    print("|---|---|---|")
    for size, *_, articles, pages_mb in rows:
        print(f"| {size:,} | {articles:,} | {pages_mb:,.0f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", default="/tmp/dateline-bench", help="where pages and the index go")
    parser.add_argument("--limit", type=int, default=0, help="convert only the first N items")
    parser.add_argument("--runs", type=int, default=200, help="runs of each query")
    parser.add_argument("--scale", help="generated folders of these sizes instead, e.g. 100000,300000,1000000")
    args = parser.parse_args()
    if not CORPUS.exists():
        sys.exit(f"no corpus at {CORPUS}")
    sizes = []
    if args.scale:
        try:
            sizes = [int(size) for size in args.scale.split(",")]
        except ValueError:
            parser.error(f"--scale needs page counts separated by commas, not {args.scale!r}")
        if min(sizes) < 1:
            parser.error("--scale needs page counts of 1 or more")

    subprocess.run(["cargo", "build", "--release", "--quiet", "--bins", "--examples"], cwd=REPO, check=True)
    work = Path(args.work)
    if sizes:
        work.mkdir(parents=True, exist_ok=True)
        scale(work, sizes, args.runs)
        return
    pages = work / (f"pages-{args.limit}" if args.limit else "pages")
    index = work / "index"
    if not pages.exists():
        command = [RELEASE / "examples" / "leestmeer_pages", CORPUS, pages]
        if args.limit:
            command += ["--limit", str(args.limit)]
        seconds, _, _ = measure(command)
        print(f"converted the corpus into {pages} in {seconds:.1f} s", file=sys.stderr)
    page_count = sum(1 for f in pages.rglob("*") if f.is_file())
    dateline = RELEASE / "dateline"

    # Every step reads the pages from the page cache, the floor included: a folder of
    # generated pages read since may have pushed these out.
    for f in pages.rglob("*"):
        if f.is_file():
            f.read_bytes()
    floor_s, floor_rss, _ = measure([RELEASE / "examples" / "extract_floor", pages])
    shutil.rmtree(index, ignore_errors=True)
    index_command = [dateline, "index", pages, "--index", index, "--quiet"]
    index_s, index_rss, _ = measure(index_command)
    # Re-runs take well under a second, where this machine's noise is large: the median
    # of three, each touching a fresh 1% (new modification times, same content).
    files = [f for f in sorted(pages.rglob("*")) if f.is_file()]
    again_s = statistics.median(measure(index_command)[0] for _ in range(3))
    touched_runs = []
    for offset in range(3):
        touched = files[offset::100]
        for f in touched:
            os.utime(f)
        touched_runs.append(measure(index_command)[0])
    touched_s = statistics.median(touched_runs)

    rows = json.loads(subprocess.run(
        [RELEASE / "examples" / "query_bench", index, str(args.runs)],
        check=True, capture_output=True, text=True).stdout)
    process_ms = []
    for _ in range(21):
        seconds, _, _ = measure([dateline, "search", "Max Verstappen", "--index", index])
        process_ms.append(seconds * 1000)

    cores = os.cpu_count()
    print(f"\n## dateline on {page_count:,} leestmeer pages ({cores} cores)\n")
    print("| step | wall s | peak RSS MB | index MB |")
    print("|---|---|---|---|")
    print(f"| floor: read + extract, no index | {floor_s:.1f} | {floor_rss:.0f} | |")
    print(f"| index from scratch | {index_s:.1f} | {index_rss:.0f} | {folder_mb(index):.1f} |")
    print(f"| index again, unchanged (median of 3) | {again_s:.2f} ({100 * again_s / index_s:.1f}%) | | |")
    print(f"| index again, {len(touched)} pages touched (1%, median of 3) | {touched_s:.2f} ({100 * touched_s / index_s:.1f}%) | | |")
    print(f"\nindex / floor: {index_s / floor_s:.2f}x\n")
    print("| workload | stage | median p50 µs | median p99 µs | worst p99 µs |")
    print("|---|---|---|---|---|")
    for stage in ("counted", "ranked", "shown"):
        for workload in ("plain", "agency", "section"):
            mine = [r for r in rows if r["workload"] == workload and r["stage"] == stage]
            print(f"| {workload} | {stage} | {statistics.median(r['p50_us'] for r in mine):.0f} | "
                  f"{statistics.median(r['p99_us'] for r in mine):.0f} | {max(r['p99_us'] for r in mine):.0f} |")
    print("\ncounted: top 10 + exact count; ranked: also agency/city/section facet counts; "
          "shown: also the 10 articles read and their snippets cut")
    print(f"\nwhole `dateline search` process: median {statistics.median(process_ms):.1f} ms over 21 runs\n")
    print("| query | hits | counted p50 µs | ranked p50 µs | shown p50 µs | shown p99 µs |")
    print("|---|---|---|---|---|---|")
    plain = {(r["query"], r["stage"]): r for r in rows if r["workload"] == "plain"}
    for query in dict.fromkeys(r["query"] for r in rows):
        counted, ranked, shown = (plain[(query, stage)] for stage in ("counted", "ranked", "shown"))
        print(f"| {query} | {ranked['total']} | {counted['p50_us']:.0f} | {ranked['p50_us']:.0f} | "
              f"{shown['p50_us']:.0f} | {shown['p99_us']:.0f} |")


if __name__ == "__main__":
    main()

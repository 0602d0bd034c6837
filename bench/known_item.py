#!/usr/bin/env python3
"""Known-item search through the real user path: pages on disk, `dateline index`,
`dateline search --json`, exactly as the hidden known-item test does it.

    python3 bench/known_item.py                        # the whole protocol, cached steps reused
    python3 bench/known_item.py --env KEY=VALUE ...    # the same queries with other settings
    python3 bench/known_item.py --compare old-ranks.tsv

The hidden test (as described to us): a later time slice of the same leestmeer source,
15,817 items, saved as HTML pages with site chrome (every 10th page windows-1252, every
7th with a byte-order mark), indexed with `dateline index`; 1,000 targets, nos.nl and
telegraaf.nl items with long bodies; the query for a target is its title split on `\\w+`
and sent as `body:w1 OR body:w2 OR ...` through `dateline search --json --limit 10`; a
target counts at the rank of the first hit whose `sources` include its page. Metrics:
MRR@10, R@1 (share at rank 1), R@10.

How this harness mirrors it:

- Slice: the LAST 15,817 items of ../shared/corpus/leestmeer/leestmeer-2012-2019-07.jsonl.gz.
  The file is sorted by date and the hidden slice is later than anything we have, so the
  latest slice of ours is the closest stand-in (same sources, same feed shapes, the
  densest months).
- Pages: written once into <work>/pages by the Rust converter
  (`cargo run --release --example leestmeer_pages -- <input> <pages> --last 15817`,
  examples/leestmeer/convert.rs): an aggregator's saved article page with header, nav,
  footer, canonical/og metadata, a `<time>` meta line under the headline holding the
  feed's raw date string, the item's HTML, a source link; pages 10, 20, ... of the slice
  in windows-1252, pages 7, 14, ... (not also a 10th) with a UTF-8 byte-order mark. The
  converter's manifest (<work>/pages.jsonl) gives each page's path, title, source site
  and body length.
- Index: `dateline index <work>/pages --index <work>/index`, once (`--reindex` rebuilds
  it with the current binary, `--rewrite` writes the pages again too).
- Targets: the slice's items from nos.nl, feeds.nos.nl or www.telegraaf.nl whose body as
  plain text (tags removed, character references decoded, white space folded) is over
  500 characters; 1,000 of them drawn with random.Random(seed).sample (seed 7). Titles
  that are not unique in the slice are kept (the hidden test does not say it filters
  them); the report counts them.
- Query: ' OR '.join('body:' + w for w in re.findall(r'\\w+', title)), run as
  `dateline search --json --limit 10 --index <index> <query>`, two at a time (the machine
  has 2 cores). A query that exits non-zero is a miss, counted and shown with its stderr.
- Rank: the first hit whose `sources` holds the target's page path relative to the pages
  folder (matched exactly, or as a path suffix if the index shows a longer path).

Output: a table (targets, MRR@10, R@1, R@10, failed queries, times) and <work>/ranks.tsv
(or --out), one line per target: rank (or -), title, query, page, and the first hit's
title and sources, for reading misses. `--env KEY=VALUE` (repeatable) is passed to the
search processes only, to compare scoring settings on the same index; `--compare FILE`
counts the targets that rank better or worse than in an earlier ranks.tsv.
Standard library only.
"""

import argparse
import collections
import concurrent.futures
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "leestmeer" / "leestmeer-2012-2019-07.jsonl.gz"
SLICE_ITEMS = 15_817
TARGET_DOMAINS = {"nos.nl", "feeds.nos.nl", "www.telegraaf.nl"}
MIN_BODY_CHARS = 500
LIMIT = 10


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", default="/tmp/dateline-known-item", help="work folder (pages, index, ranks)")
    parser.add_argument("--binary", help="the dateline binary (default: target/release/dateline, built if missing)")
    parser.add_argument("--corpus", default=str(CORPUS), help="the leestmeer jsonl(.gz)")
    parser.add_argument("--items", type=int, default=SLICE_ITEMS, help="the slice: the last N items")
    parser.add_argument("--targets", type=int, default=1000, help="targets drawn")
    parser.add_argument("--seed", type=int, default=7, help="seed of the draw")
    parser.add_argument("--jobs", type=int, default=2, help="searches run at once")
    parser.add_argument("--reindex", action="store_true", help="index the pages again from scratch")
    parser.add_argument("--index", help="where to index and search: a folder or a cluster URL "
                        "(http://host:9200/name; indexed when --reindex is given) (default <work>/index)")
    parser.add_argument("--rewrite", action="store_true", help="write the pages again (and reindex)")
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                        help="environment for the search processes (repeatable)")
    parser.add_argument("--out", help="per-target ranks (default <work>/ranks.tsv)")
    parser.add_argument("--compare", metavar="RANKS_TSV", help="an earlier ranks.tsv to compare with")
    parser.add_argument("--show-misses", type=int, default=10, help="misses printed")
    args = parser.parse_args()

    env = dict(os.environ)
    for pair in args.env:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            parser.error(f"--env needs KEY=VALUE, not {pair!r}")
        env[key] = value

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    binary = Path(args.binary) if args.binary else REPO / "target" / "release" / "dateline"
    if not binary.exists():
        if args.binary:
            sys.exit(f"no binary at {binary}")
        step("building the release binary")
        subprocess.run(["cargo", "build", "--release"], cwd=REPO, check=True)

    times = {}
    pages, manifest = work / "pages", work / "pages.jsonl"
    stamp = work / "pages.done"
    wanted = f"{Path(args.corpus).resolve()} --last {args.items}"
    if args.rewrite or not stamp.exists() or stamp.read_text() != wanted:
        times["write pages"] = write_pages(Path(args.corpus), pages, manifest, args.items, stamp, wanted)
        args.reindex = True
    written = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines() if line]

    index = args.index or str(work / "index")
    on_cluster = index.startswith(("http://", "https://"))
    if args.reindex or (not on_cluster and (not Path(index).is_dir() or not any(Path(index).iterdir()))):
        times["index"] = index_pages(binary, pages, index)

    targets, shared_titles = pick_targets(written, args.targets, args.seed)
    queries = [query_of(page["title"]) for page in targets]
    step(f"searching {len(targets):,} targets, {args.jobs} at a time"
         + (f" with {' '.join(args.env)}" if args.env else ""))
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda q: search(binary, index, q, env), queries))
    times["search"] = time.monotonic() - started

    rows, failures = [], []
    for page, query, (hits, error) in zip(targets, queries, results):
        if error is not None:
            failures.append((page, query, error))
        rank = rank_of(hits, page["relative"])
        top = hits[0] if hits else None
        rows.append({
            "rank": rank,
            "title": page["title"],
            "query": query,
            "page": page["relative"],
            "top_title": top["title"] if top else "",
            "top_sources": " ".join(top["sources"]) if top else "",
        })

    out = Path(args.out) if args.out else work / "ranks.tsv"
    write_ranks(out, rows)
    report(rows, failures, shared_titles, times, args, out)
    if args.compare:
        compare(rows, Path(args.compare))


def step(message):
    print(f"[known_item] {message}", file=sys.stderr, flush=True)


def write_pages(corpus, pages, manifest, items, stamp, wanted):
    """The last `items` items of the corpus as pages, by the Rust converter; the seconds
    it took to write them (not to build it)."""
    if not corpus.exists():
        sys.exit(f"no corpus at {corpus}")
    stamp.unlink(missing_ok=True)
    shutil.rmtree(pages, ignore_errors=True)
    step("building the page converter")
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "leestmeer_pages"], cwd=REPO, check=True)
    step(f"writing the last {items:,} items of {corpus.name} as pages into {pages}")
    started = time.monotonic()
    subprocess.run(["cargo", "run", "--release", "--quiet", "--example", "leestmeer_pages", "--",
                    str(corpus), str(pages), "--last", str(items), "--manifest", str(manifest)],
                   cwd=REPO, check=True)
    seconds = time.monotonic() - started
    stamp.write_text(wanted)
    return seconds


def index_pages(binary, pages, index):
    step(f"indexing {pages} into {index}")
    started = time.monotonic()
    command = [str(binary), "index", str(pages), "--index", str(index)]
    if index.startswith(("http://", "https://")) or (Path(index).exists() and any(Path(index).iterdir())):
        command.append("--rebuild")
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        sys.exit(f"dateline index failed ({done.returncode}):\n{done.stderr[-4000:]}")
    summary = [line for line in (done.stdout + done.stderr).splitlines() if line.startswith("indexed ")]
    if summary:
        step(summary[-1])
    warnings = [line for line in done.stderr.splitlines() if "warning" in line.lower()]
    if warnings:
        step(f"{len(warnings)} warnings, e.g. {warnings[:3]}")
    return seconds


def pick_targets(written, count, seed):
    """`count` pages drawn from the long nos.nl / telegraaf.nl items, and how many of
    them share their title with another item of the slice."""
    titles = collections.Counter(page["title"].strip() for page in written)
    eligible = [page for page in written
                if page["source_domain"] in TARGET_DOMAINS and page["body_chars"] > MIN_BODY_CHARS]
    targets = random.Random(seed).sample(eligible, min(count, len(eligible)))
    shared = sum(1 for page in targets if titles[page["title"].strip()] > 1)
    step(f"{len(eligible):,} eligible items in the slice of {len(written):,}; "
         f"{sum(1 for t, n in titles.items() if n > 1):,} titles occur more than once in the slice")
    return targets, shared


def query_of(title):
    return " OR ".join("body:" + w for w in re.findall(r"\w+", title))


def search(binary, index, query, env):
    """The hits of one query, and the error text when the search failed."""
    command = [str(binary), "search", "--json", "--limit", str(LIMIT), "--index", str(index), query]
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        return [], f"exit {done.returncode}: {done.stderr.strip()}"
    try:
        return json.loads(done.stdout)["hits"], None
    except (ValueError, KeyError) as e:
        return [], f"unreadable output ({e}): {done.stdout[:200]!r}"


def rank_of(hits, relative):
    """1-based rank of the first hit that lists the page, or None."""
    relative = relative.replace("\\", "/")
    for at, hit in enumerate(hits[:LIMIT], 1):
        for source in hit.get("sources", []):
            source = source.replace("\\", "/")
            if source == relative or source.endswith("/" + relative):
                return at
    return None


def write_ranks(out, rows):
    def clean(text):
        return text.replace("\t", " ").replace("\n", " ")

    with open(out, "w", encoding="utf-8") as f:
        f.write("rank\ttitle\tquery\tpage\ttop_title\ttop_sources\n")
        for row in rows:
            rank = str(row["rank"]) if row["rank"] else "-"
            f.write("\t".join([rank] + [clean(row[k]) for k in
                                        ("title", "query", "page", "top_title", "top_sources")]) + "\n")


def metrics(ranks):
    n = len(ranks) or 1
    return (sum(1 / r for r in ranks if r) / n,
            sum(1 for r in ranks if r == 1) / n,
            sum(1 for r in ranks if r) / n)


def report(rows, failures, shared_titles, times, args, out):
    ranks = [row["rank"] for row in rows]
    mrr, r1, r10 = metrics(ranks)
    print()
    print(f"| targets | MRR@10 | R@1 | R@10 | failed queries | titles not unique | {' | '.join(times)} |")
    print("|---" * (6 + len(times)) + "|")
    print(f"| {len(rows):,} | {mrr:.4f} | {r1:.4f} | {r10:.4f} | {len(failures)} | {shared_titles} | "
          + " | ".join(f"{seconds:.1f} s" for seconds in times.values()) + " |")
    if args.env:
        print(f"\nsearch environment: {' '.join(args.env)}")
    print(f"\nper-target ranks: {out}")
    if failures:
        print(f"\n{len(failures)} failed queries, e.g.:")
        for page, query, error in failures[:5]:
            print(f"  {page['relative']} {query!r}: {error[:300]}")
    misses = [row for row in rows if not row["rank"]]
    if misses and args.show_misses:
        print(f"\n{len(misses)} misses, e.g.:")
        for row in misses[:args.show_misses]:
            print(f"  {row['title']!r} ({row['page']}); first: {row['top_title'][:80]!r}")


def compare(rows, old_path):
    old = {}
    with open(old_path, encoding="utf-8") as f:
        next(f)
        for line in f:
            fields = line.rstrip("\n").split("\t")
            old[fields[3]] = int(fields[0]) if fields[0] != "-" else None
    better = worse = same = missing = 0
    for row in rows:
        if row["page"] not in old:
            missing += 1
            continue
        before, after = old[row["page"]] or LIMIT + 1, row["rank"] or LIMIT + 1
        if after < before:
            better += 1
        elif after > before:
            worse += 1
        else:
            same += 1
    old_ranks = [old[row["page"]] for row in rows if row["page"] in old]
    o_mrr, o_r1, o_r10 = metrics(old_ranks)
    print(f"\nagainst {old_path} (MRR@10 {o_mrr:.4f}, R@1 {o_r1:.4f}, R@10 {o_r10:.4f} on the shared targets): "
          f"{better} better, {worse} worse, {same} the same" + (f", {missing} not in it" if missing else ""))


if __name__ == "__main__":
    main()

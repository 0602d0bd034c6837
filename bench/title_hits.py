#!/usr/bin/env python3
"""Known-item check on a whole converted corpus: is a page's own article among the top 3
hits when its title is the query?

    python3 bench/title_hits.py /tmp/dateline-bench/pages /tmp/dateline-bench/index [N]

Takes N pages (default 1,000) with a fixed seed, reads each page's <h1>, turns it into a
plain query (every character that is not a letter or digit becomes a space, lower case,
so that no AND/OR/NOT is an operator), and runs `dateline search --json --limit 3`.
tests/corpus.rs does the same on a 2,000-page sample in CI.
"""

import html
import json
import random
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATELINE = REPO / "target" / "release" / "dateline"


def main():
    pages, index = Path(sys.argv[1]), sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    files = sorted(f for f in pages.rglob("*.html") if f.is_file())
    random.Random(20190731).shuffle(files)
    found = tried = 0
    misses = []
    for page in files:
        if tried == count:
            break
        match = re.search(r"<h1>(.*?)</h1>", page.read_text(encoding="utf-8", errors="replace"), re.S)
        if not match:
            continue
        title = html.unescape(match.group(1))
        query = " ".join("".join(c if c.isalnum() else " " for c in title).split()).lower()
        if not query:
            continue
        tried += 1
        out = subprocess.run([DATELINE, "search", query, "--json", "--limit", "3", "--index", index],
                             capture_output=True, text=True)
        relative = str(page.relative_to(pages))
        # A source names the folder indexed too: <folder name>/<relative>.
        source = f"{Path(pages).resolve().name}/{relative}"
        hits = json.loads(out.stdout)["hits"] if out.returncode == 0 else []
        if any(source in hit["sources"] for hit in hits):
            found += 1
        else:
            misses.append(f"{relative}: {title!r}")
    print(f"own article in the top 3 for {found}/{tried} titles ({100 * found / tried:.1f}%)")
    for miss in misses[:20]:
        print("  missed:", miss)


if __name__ == "__main__":
    main()

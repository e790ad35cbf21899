"""Search benchmark: what one keystroke in the search screen costs on a large firm, beside
the plain scan (reading every written record, as ``pulsetui search`` does) measured in
the same run.

On the generated workspace (``bench/generate.py``; ``firm-5y`` by default: about 465k
written records) it measures, in one process:

- **build**: reading every written record into the search index, once per app session;
- **keystroke**: the index's search for every prefix of a few sentences as they are
  typed (each prefix is what the screen searches after that key), as the manager and
  as a call with one client in view; p50, p95 and max;
- **after a save**: a keystroke right after a record changed (the index reads it again);
- **scan**: the plain scan of the same workspace for the last prefix of each sentence;
- the ratio of the scan's median to the keystroke's median, and whether the worst
  keystroke is within 100 ms.

Run: ``python bench/search_bench.py [--scale firm-5y|firm-year]``.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate
from pulsetui.service.config import Config
from pulsetui.service.search import SearchIndex, scan
from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace

# typed as a manager would: words of the generated notes, one in Estonian without its
# accent, one Russian word typed in Latin letters and one in Cyrillic
SENTENCES = [
    "release deadline risk",
    "tahtaeg klient",
    "komanda sprint",
    "бюджет audit",
]
KEYSTROKE_TARGET_MS = 100.0
ROWS = 100  # what the search screen shows


def ms(seconds: float) -> float:
    return seconds * 1000.0


def prefixes(sentence: str) -> list[str]:
    return [sentence[:end] for end in range(1, len(sentence) + 1)]


def timed(call: object, *args: object) -> tuple[float, object]:
    start = time.perf_counter()
    result = call(*args)  # type: ignore[operator]
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(generate.SCALES), default="firm-5y")
    parser.add_argument("--scans", type=int, default=len(SENTENCES), help="plain scans run")
    args = parser.parse_args()
    home = generate.ensure(args.scale)
    ws = Workspace.open(home, readonly=True, config=Config())
    me = Audience.manager(ws.me)
    client = next(iter(ws.docs("client")))["uid"]
    call = Audience.call(client, ws.me)
    index = SearchIndex.of(ws)

    build, _ = timed(index.build)
    written = index.records
    print(f"{args.scale}: {written:,} written records")
    print(f"  build the index: {build:.1f} s (once per app session, in a worker)")

    keystrokes: list[float] = []
    found: dict[str, int] = {}
    for audience in (me, call):
        for sentence in SENTENCES:
            for query in prefixes(sentence):
                took, result = timed(index.search, audience, query, ROWS)
                keystrokes.append(took)
                if audience is me:
                    found[query] = result.found  # type: ignore[attr-defined]
    keystrokes.sort()
    p50 = statistics.median(keystrokes)
    p95 = keystrokes[int(len(keystrokes) * 0.95)]
    worst = keystrokes[-1]
    print(
        f"  keystroke ({len(keystrokes)} searches): p50 {ms(p50):.1f} ms, "
        f"p95 {ms(p95):.1f} ms, max {ms(worst):.1f} ms"
    )
    for sentence in SENTENCES:
        print(f"    {sentence!r}: {found[sentence]:,} records found")

    after_save: list[float] = []
    agreements = [doc["uid"] for _, doc in zip(range(20), ws.docs("agreement"), strict=False)]
    for number, uid in enumerate(agreements):
        index._changed([{"entity": "agreement", "uid": uid}])  # as the store's listener
        took, _ = timed(index.search, me, SENTENCES[number % len(SENTENCES)], ROWS)
        after_save.append(took)
    print(f"  keystroke after a save: p50 {ms(statistics.median(after_save)):.1f} ms")

    scans: list[float] = []
    for sentence in SENTENCES[: args.scans]:
        took, result = timed(scan, ws, me, sentence, ROWS)
        scans.append(took)
        assert result == index.search(me, sentence, ROWS), sentence  # the same answer
    scan_p50 = statistics.median(scans)
    print(f"  plain scan (baseline, {len(scans)} queries): median {scan_p50:.2f} s")
    print(f"  ratio: a keystroke is {scan_p50 / p50:,.0f}x faster than the scan (medians)")
    verdict = "within" if ms(worst) <= KEYSTROKE_TARGET_MS else "OVER"
    target = f"{KEYSTROKE_TARGET_MS:.0f} ms"
    print(f"  worst keystroke {ms(worst):.1f} ms: {verdict} the {target} target")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS of this process: {rss:.0f} MB")
    ws.close(checkpoint="never")


if __name__ == "__main__":
    main()

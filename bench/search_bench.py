"""Search benchmark: what a keystroke in the search screen costs, the first one after
opening included, beside baselines measured in the same run.

On a copy of each workspace (the demo, and the generated ``firm-year`` and ``firm-5y``
of ``bench/generate.py``) it measures, in one process per scale:

- **read**: reading every written record (notes, agenda items, agreements, requests,
  touchpoints, NPS reasons, flag notes) as any search without an index must;
- **cold build**: building the search index from nothing (the app does it once, in a
  background process), and writing its file beside the view;
- **open with the file**: a new session's index made ready from that file (read,
  checked, caught up with the journal) until it answers, median of 3; and the record
  map the same worker makes after that, while searches already run;
- **keystrokes**: every prefix of a few sentences as they are typed, as the manager and
  as a call with one client in view: the first search after opening, then median, p95
  and max; and a search right after a save (the index reads the journal's tail);
- **baselines**: a plain substring scan over the same texts already in memory
  (casefolded, ``in``), median over the sentences; and the full scan ``pulsetui search``
  runs (read, fold, match, rank), on the last sentence;
- the ratios, and whether the worst keystroke is within 100 ms.

Run: ``python bench/search_bench.py [--scale demo|firm-year|firm-5y ...] [--scans 1]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pulsetui.service.config import Config
from pulsetui.service.search import SearchIndex, rebuild, scan
from pulsetui.service.search.index_file import INDEX_NAME
from pulsetui.service.search.rebuild import save
from pulsetui.service.search.sources import KINDS, read_written
from pulsetui.service.views.audience import Audience
from pulsetui.service.workspace import Workspace

# typed as a manager would: words of the generated notes, one in Estonian without its
# accent, one Russian word typed in Latin letters and one in Cyrillic
SENTENCES = ["release deadline risk", "tahtaeg klient", "komanda sprint", "бюджет audit"]
DEMO_SENTENCES = ["recovery plan", "invoice delay", "dmitri", "õie kask"]
KEYSTROKE_TARGET_MS = 100.0
ROWS = 100  # what the search screen shows
OPENS = 3
SAVES = 20


def ms(seconds: float) -> float:
    return seconds * 1000.0


def timed(call: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call(*args)
    return time.perf_counter() - start, result


def prefixes(sentence: str) -> list[str]:
    return [sentence[:end] for end in range(2, len(sentence) + 1)]


def workspace_copy(scale: str, tmp: Path) -> Path:
    home = tmp / scale
    if scale == "demo":
        from pulsetui.service.demo import create_demo

        create_demo(home, today=dt.date(2026, 11, 20), seed=7)
        return home
    import generate

    shutil.copytree(generate.ensure(scale), home, symlinks=True)
    (home / INDEX_NAME).unlink(missing_ok=True)
    return home


def open_ws(home: Path) -> Workspace:
    return Workspace.open(home, config=Config())


def prepare_steps(index: SearchIndex) -> None:
    """What :func:`prepare` does until the index answers: read and check the file, catch
    up with the journal, work out what the manager sees."""
    with index.preparing:
        assert rebuild._load(index), index.problem
        index.warm(Audience.manager(index.workspace.me))


def measure(scale: str, scans: int) -> None:
    sentences = DEMO_SENTENCES if scale == "demo" else SENTENCES
    with tempfile.TemporaryDirectory(dir=Path(__file__).resolve().parent / "out") as tmp:
        home = workspace_copy(scale, Path(tmp))
        ws = open_ws(home)
        texts: list[str] = []
        read_s, _ = timed(lambda: texts.extend(i.text for k in KINDS for i in read_written(ws, k)))
        index = SearchIndex(ws)
        build_s, _ = timed(index.build)
        write_s, _ = timed(save, index)
        size = (home / INDEX_NAME).stat().st_size
        print(f"{scale}: {len(texts):,} written records, {index.records:,} indexed")
        print(f"  read every written record: {read_s:.2f} s")
        print(
            f"  cold build: {build_s:.2f} s, write the file: {write_s:.2f} s ({size / 1e6:.1f} MB)"
        )
        ws.close()

        opens: list[float] = []
        maps: list[float] = []
        firsts: list[float] = []
        for _ in range(OPENS):
            ws = open_ws(home)
            index = SearchIndex(ws)
            took, _ = timed(prepare_steps, index)  # as prepare does, timed step by step
            assert index.problem == "", index.problem
            opens.append(took)
            first, _ = timed(index.search, Audience.manager(ws.me), sentences[0][:2], ROWS)
            firsts.append(first)
            took, _ = timed(index.index_numbers)
            maps.append(took)
            if len(opens) < OPENS:
                ws.close(checkpoint="never")
        open_s = statistics.median(opens)
        print(
            f"  open with the file, until searchable: median {open_s:.3f} s "
            f"({build_s / open_s:,.0f}x faster than the cold build); then, in the same "
            f"worker while searches run, the record map: {statistics.median(maps):.3f} s"
        )

        me = Audience.manager(ws.me)
        client = next(iter(ws.docs("client")))["uid"]
        call = Audience.call(client, ws.me)
        keystrokes: list[float] = []
        for audience in (me, call):
            for sentence in sentences:
                for query in prefixes(sentence):
                    took, _ = timed(index.search, audience, query, ROWS)
                    keystrokes.append(took)
        keystrokes.sort()
        p50 = statistics.median(keystrokes)
        p95 = keystrokes[int(len(keystrokes) * 0.95)]
        worst = max([*keystrokes, *firsts])
        print(
            f"  keystrokes ({len(keystrokes)}): first after opening {ms(max(firsts)):.1f} ms "
            f"(worst of {OPENS}), p50 {ms(p50):.1f} ms, p95 {ms(p95):.1f} ms, "
            f"max {ms(max(keystrokes)):.1f} ms"
        )
        after_save: list[float] = []
        for number in range(SAVES):
            ws.add_agenda_item(client, f"bench note {number} about the release deadline")
            query = sentences[number % len(sentences)]  # what was typed goes on
            took, _ = timed(index.search, me, query, ROWS)
            after_save.append(took)
            assert index.search(me, f"bench note {number}", ROWS).hits, "a save is found"
        print(f"  keystroke right after a save: p50 {ms(statistics.median(after_save)):.1f} ms")

        folded = [text.casefold() for text in texts]
        plain: list[float] = []
        for sentence in sentences:
            word = sentence.split()[0].casefold()
            took, _ = timed(lambda w=word: [t for t in folded if w in t])
            plain.append(took)
        plain_s = statistics.median(plain)
        print(
            f"  baseline, substring scan of the texts in memory: median {ms(plain_s):.1f} ms "
            f"(ratio to the keystroke p50: {plain_s / p50:,.1f})"
        )
        full: list[float] = []
        for sentence in sentences[-scans:] if scans else []:
            took, result = timed(scan, ws, me, sentence, ROWS)
            full.append(took)
            assert result == index.search(me, sentence, ROWS), sentence  # the same answer
        if full:
            full_s = statistics.median(full)
            print(
                f"  baseline, full scan (pulsetui search): median {full_s:.2f} s "
                f"(ratio to the keystroke p50: {full_s / p50:,.0f})"
            )
        verdict = "within" if ms(worst) <= KEYSTROKE_TARGET_MS else "OVER"
        print(
            f"  worst keystroke {ms(worst):.1f} ms: {verdict} the "
            f"{KEYSTROKE_TARGET_MS:.0f} ms target"
        )
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  peak RSS of this process: {rss:.0f} MB", flush=True)
        ws.close(checkpoint="never")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    scales = ["demo", "firm-year", "firm-5y"]
    parser.add_argument("--scale", action="append", choices=scales)
    parser.add_argument("--scans", type=int, default=1, help="full scans run per scale")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a worker process's scale
    args = parser.parse_args()
    if args.one:
        measure(args.one, args.scans)
        return
    os.umask(0o077)
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    for scale in args.scale or scales:
        command = [sys.executable, __file__, "--one", scale, "--scans", str(args.scans)]
        subprocess.run(command, check=True)  # a fresh process per scale
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")


if __name__ == "__main__":
    main()

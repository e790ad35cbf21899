"""``pulsetui enps open`` and ``pulsetui enps rounds``: eNPS rounds that open and close.

A round takes answers through its closing day; its results appear once, on its results
day, if enough people answered (:mod:`pulsetui.service.enps_rounds`)."""

from __future__ import annotations

import click

from pulsetui.cli.context import Context, pass_ctx
from pulsetui.cli.output import emit_json, json_option, say
from pulsetui.service.enps_rounds import open_round, round_states


@click.command("open")
@click.option("--round", "round_", required=True, metavar="R", help="Round name, e.g. 2026.")
@click.option(
    "--closes",
    required=True,
    metavar="DATE",
    help="Last day answers are taken (2026-11-30, +2w, fri).",
)
@pass_ctx
def enps_open(ctx: Context, round_: str, closes: str) -> None:
    """Open an eNPS round for answers until its closing day (or move that day).

    Nobody sees a score while it is open; its results appear once, two days after it
    closes, if at least the minimum group answered. A closed round is never opened
    again."""
    with ctx.workspace() as ws:
        state = open_round(ws, round_, closes)
        threshold = ws.config.thresholds.enps_min_answers
        say(
            f"eNPS round {state.name} is open: answers are taken until "
            f"{state.closes} (the end of that day); the results appear on {state.results_on} "
            f"if at least {threshold} people answered, and never before"
        )


@click.command("rounds")
@json_option
@pass_ctx
def enps_rounds_cmd(ctx: Context, as_json: bool) -> None:
    """Every eNPS round: open, closed or published, and how many answered."""
    with ctx.workspace(readonly=True) as ws:
        states = round_states(ws)
        if as_json:
            rounds = [
                {
                    "round": s.name,
                    "closes": None if s.closes is None else s.closes.isoformat(),
                    "results_on": None if s.results_on is None else s.results_on.isoformat(),
                    "phase": s.phase,
                    "n": s.n,
                }
                for s in states
            ]
            emit_json({"rounds": rounds})
            return
        if not states:
            say("no eNPS rounds yet")
        for state in states:
            say(f"{state.name}: {state.status() or 'published'} (n={state.n})")

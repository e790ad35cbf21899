"""The judgements part of a client's page, drawn from
:class:`pulsetui.service.views.client_judgement.ClientJudgement`: the stage with the
onboarding countdown and warnings, the spiral mix, the main communicators, each
contact's NPS path and every red flag's history. Text from the store is drawn literally."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text

from pulsetui.service.views.client_judgement import ClientJudgement
from pulsetui.tui.widgets.literal import literal, one_line


def judgement_panel(view: ClientJudgement | None) -> Group | str:
    """The panel's lines; "" when there is nothing for this audience (a call)."""
    if view is None:
        return ""
    lines: list[Text] = [Text("Judgements", style="bold underline")]
    lines.append(Text(f"Stage: {view.stage_line}"))
    if view.countdown:
        lines.append(Text(f"  {view.countdown}"))
    lines.extend(Text(f"! {warning}", style="bold") for warning in view.warnings)
    for period, mix in view.spiral_mix:
        lines.append(Text(f"Spiral fed {period}: {mix}"))
    if view.communicators:
        lines.append(Text("Main communicator:"))
        for holder in reversed(view.communicators):  # the current one first
            until = holder.end.isoformat() if holder.end else "now"
            line = literal(f"  {one_line(holder.name, 30)} ({holder.role}) ")
            line.append(f"{holder.start.isoformat()} – {until}")
            if holder.note:
                line.append_text(literal(f"; handover: {one_line(holder.note, 60)}"))
            lines.append(line)
    if view.nps_paths:
        lines.append(Text("NPS path per contact (goal: passive → promoter):"))
        for contact, path in view.nps_paths:
            lines.append(literal(f"  {one_line(contact, 30)}: {path}"))
    stories = [f for f in view.flags if len(f.events) > 1 or f.recurring]
    if stories:
        lines.append(Text("Flag history:"))
        for flag in stories:
            again = " (recurring)" if flag.recurring else ""
            lines.append(literal(f"  {flag.label}{again} · {one_line(flag.who, 40)}"))
            lines.extend(literal(f"    {one_line(event, 90)}") for event in flag.events)
    return Group(*lines)

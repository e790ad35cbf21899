"""The ``Examples:`` section of the main commands' ``--help``, kept in one table so a
test can check that every example is a command pulsetui accepts, and run them in
this order on the demo firm, whose names they use.

``ID`` stands for a record's id as ``list`` prints it; everything else is typed as
shown.
"""

from __future__ import annotations

import click

KUUSI = '"Kuusi Logistiikka Oy"'

EXAMPLES: dict[str, tuple[str, ...]] = {
    "manager add": ('pulsetui manager add --name "Pekka Ranta" --email pekka.ranta@example.fi',),
    "manager set": ('pulsetui manager set "Pekka Ranta" --email pekka@example.fi',),
    "consultant add": (
        'pulsetui consultant add --name "Helmi Virta" --email helmi.virta@example.fi',
        'pulsetui consultant add --name "Ян Новак" --manager "Jüri Tamm"',
    ),
    "consultant set": (
        'pulsetui consultant set "Helmi Virta" --manager "Jüri Tamm"',
        "pulsetui consultant set helmi --no-active",
    ),
    "client add": (
        'pulsetui client add --name "Pohjola Rakennus Oy" --cadence biweekly',
        'pulsetui client add --name "Saaristo Laivat Oy" --decision-maker "Eero Salo" '
        '--contact "Anna Berg"',
    ),
    "client set": (
        "pulsetui client set pohjola --stage adoption --stage-since today",
        "pulsetui client set pohjola --unpaid-invoices --notes-file notes.txt",
    ),
    "engagement add": (
        'pulsetui engagement add --client pohjola --consultant "Helmi Virta" --start 2026-01-12 '
        '--main-communicator "Helmi Virta"',
    ),
    "engagement set": ('pulsetui engagement set "Helmi Virta" --end +1m',),
    "pulse add": (
        'pulsetui pulse add --consultant "Helmi Virta" --wellbeing 4 --workload high '
        '--follow-up "Ask about the training budget"',
        "pulsetui pulse add --consultant helmi --notes-file notes.txt --private",
    ),
    "pulse set": ("pulsetui pulse set ID --status held --fit 4",),
    "meeting add": (
        "pulsetui meeting add --client pohjola --date fri --time 14:00 --duration-min 60 "
        '--attendee "Eero Salo"',
    ),
    "meeting set": ("pulsetui meeting set ID --date +1w --time 10:00",),
    "meeting summary": (
        "pulsetui meeting summary --client kuusi",
        'pulsetui meeting summary --client kuusi | mail -s "Our meeting" hanna@example.fi',
    ),
    "agenda add": ('pulsetui agenda add --client pohjola --text "Release calendar for Q1"',),
    "agenda set": ('pulsetui agenda set ID --text "Release calendar for Q1 and Q2"',),
    "agenda send": (
        "pulsetui agenda send --client kuusi --meeting ID --out ~/mail",
        "pulsetui agenda send --client kuusi --meeting ID --reminder 15",
    ),
    "agreement add": (
        'pulsetui agreement add --client pohjola --text "Send the offer" --side us '
        "--owner Liisa --due fri",
        'pulsetui agreement add --client pohjola --text "Give VPN access" --side client --due +2w',
    ),
    "agreement set": ('pulsetui agreement set "Send the offer" --due +1w',),
    "agreement done": (
        'pulsetui agreement done "Send the offer"',
        "pulsetui agreement done ID",
    ),
    "agreement broken": (
        'pulsetui agreement broken "Send the offer" --reason "the offer waited for pricing"',
    ),
    "touchpoint add": (
        'pulsetui touchpoint add --client pohjola --kind article --note "Our piece on releases"',
    ),
    "touchpoint set": ("pulsetui touchpoint set ID --kind call",),
    "request add": ('pulsetui request add --client pohjola --kind wish --text "Dark mode"',),
    "request set": ("pulsetui request set ID --status accepted --planned",),
    "today": (
        "pulsetui today",
        "pulsetui today --all",
        "pulsetui today --markdown | mail -s Today me@example.fi",
        "pulsetui today --json",
    ),
    "list": (
        "pulsetui list clients",
        f"pulsetui list agreements --client {KUUSI}",
        'pulsetui list pulses --consultant "Aino Laine" --json',
    ),
    "show": (
        f"pulsetui show client {KUUSI}",
        "pulsetui show consultant aino --json",
    ),
    "search": ('pulsetui search "recovery plan"', "pulsetui search dmit --json --limit 5"),
    "nps add": (
        f'pulsetui nps add --client {KUUSI} --score 9 --reason "fast delivery" --contact Eero',
        "pulsetui nps add --client kuusi --score 7 --contact Hanna --date 2026-11-02",
    ),
    "nps report": ("pulsetui nps report", "pulsetui nps report --by manager --json"),
    "enps open": (
        "pulsetui enps open --round 2027 --closes +4w",
        "pulsetui enps open --round 2027 --closes +6w   # a later closing day",
    ),
    "enps add": (
        'pulsetui enps add --score 8 --reason "good team"',
        "pulsetui enps add --score 6 --round 2027",
    ),
    "enps report": ("pulsetui enps report", "pulsetui enps report --round 2026"),
    "report weekly": (
        f"pulsetui report weekly --client {KUUSI}",
        "pulsetui report weekly --client kuusi --week 2026-W47 > week-47.md",
        "pulsetui report weekly --client kuusi --format html > week.html",
    ),
    "report sent": ("pulsetui report sent --client kuusi",),
    "report due": ("pulsetui report due", "pulsetui report due --json"),
    "work add": (
        'pulsetui work add --client pohjola --kind done --text "Login page in production"',
        'pulsetui work add --client pohjola --kind risk --text "Test data is late" '
        '--way-out "We test with generated data meanwhile"',
    ),
    "work set": ('pulsetui work set ID --kind done --text "Test data arrived"',),
    "flags": (
        "pulsetui flags",
        f"pulsetui flags --client {KUUSI} --all",
        "pulsetui flags --json",
    ),
    "health": (f"pulsetui health --client {KUUSI}",),
    "segments": ("pulsetui segments", "pulsetui segments --json"),
    "hats": ("pulsetui hats", "pulsetui hats --json"),
    "brief": (f"pulsetui brief --client {KUUSI}", "pulsetui brief --client revontuli --json"),
    "communicator set": (
        'pulsetui communicator set --client revontuli --name "Liis Oja" --role project_manager '
        '--note "Aino hands over the weekly calls"',
    ),
    "communicator history": ("pulsetui communicator history --client revontuli",),
    "sync": (
        "pulsetui --shared ~/Sync/team sync init",
        "pulsetui --shared ~/Sync/team sync",
        "pulsetui sync --check",
        "pulsetui sync --json",
    ),
    "export": (
        "pulsetui export > team.json",
        "pulsetui export --include-private > mine.json",
        "pulsetui export --format ics > meetings.ics",
        "pulsetui export --format ics --client kuusi > kuusi.ics",
        "pulsetui export --format csv --table agreements",
        "pulsetui export --format csv --table nps --excel > nps.csv",
        "pulsetui export --format csv --table agreements --raw | wc -l",
    ),
    "backup": ("pulsetui backup ~/pulsetui.backup", "pulsetui backup - | gpg -c > backup.gpg"),
    "restore": (
        "pulsetui --home ~/restored restore ~/pulsetui.backup",
        "pulsetui restore ~/pulsetui.backup --replace",
    ),
    "import": (
        "pulsetui --home ~/copy import team.json",
        "pulsetui export | pulsetui --home /tmp/copy import -",
    ),
    "doctor": ("pulsetui doctor", "pulsetui doctor --json"),
    "demo": (
        "pulsetui demo --home ~/pulsetui-demo",
        'pulsetui --as "Jüri Tamm" demo --home ~/pulsetui-demo --force',
    ),
    "locate": ("pulsetui locate", "pulsetui locate --json"),
}


def find_command(group: click.Group, path: str) -> click.Command:
    """The command at ``path`` ("agreement done") under ``group``."""
    command: click.Command = group
    for name in path.split():
        assert isinstance(command, click.Group), path
        found = command.commands.get(name)
        if found is None:
            raise KeyError(path)
        command = found
    return command


def add_examples(group: click.Group) -> None:
    """Append the examples of :data:`EXAMPLES` to the help of their commands."""
    for path, lines in EXAMPLES.items():
        command = find_command(group, path)
        shown = "\n".join(f"  {line}" for line in lines)
        command.help = f"{(command.help or '').rstrip()}\n\n\b\nExamples:\n{shown}"

"""Shell completion: ``pulsetui completion bash|zsh|fish`` prints the script for a
shell, and the options and arguments that take a client, consultant or manager name
or an eNPS round complete it from the workspace.

Click drives completion through ``_PULSETUI_COMPLETE``; the script only calls
``pulsetui`` back with it. A completer opens the workspace read-only (no lock, no
write, no config file needed) and never fails loudly: whatever goes wrong, it offers
nothing. Names match as ``--client`` matches them (case, accents and Unicode form
aside, in Latin letters for another script, part of a name too), ranked as
:mod:`pulsetui.domain.names` ranks them: the same name, then names that start with
the typed text, then names with a word that does, then names that hold it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from click.shell_completion import BashComplete, CompletionItem, add_completion_class

from pulsetui.cli.quick_start import COMPLETE_VAR
from pulsetui.domain.models import ENTITIES
from pulsetui.domain.names import name_key, ranked
from pulsetui.domain.text import safe_line
from pulsetui.service.config import Config
from pulsetui.service.enps_rounds import round_states
from pulsetui.service.paths import resolve_home
from pulsetui.service.workspace import Workspace

SHELLS = ("bash", "zsh", "fish")
MAX_ITEMS = 200

Completer = Callable[[click.Context, click.Parameter, str], list[CompletionItem]]

# click's bash script, except that a name is inserted quoted: "Mäkinen Teollisuus Oy"
# stays one argument (readline quotes completions it takes for file names).
_SOURCE_BASH = """\
%(complete_func)s() {
    local IFS=$'\\n'
    local response

    response=$(env COMP_WORDS="${COMP_WORDS[*]}" COMP_CWORD=$COMP_CWORD \
%(complete_var)s=bash_complete $1)

    for completion in $response; do
        IFS=',' read type value <<< "$completion"

        if [[ $type == 'dir' ]]; then
            COMPREPLY=()
            compopt -o dirnames
        elif [[ $type == 'file' ]]; then
            COMPREPLY=()
            compopt -o default
        elif [[ $type == 'plain' ]]; then
            COMPREPLY+=($value)
            compopt -o filenames 2>/dev/null
        fi
    done

    return 0
}

%(complete_func)s_setup() {
    complete -o nosort -F %(complete_func)s %(prog_name)s
}

%(complete_func)s_setup;
"""


class QuotingBashComplete(BashComplete):
    """Bash completion whose script quotes the names it inserts."""

    source_template = _SOURCE_BASH


add_completion_class(QuotingBashComplete, "bash")


def _open(ctx: click.Context) -> Workspace | None:
    """The workspace named by --home / PULSETUI_HOME on the command line being
    completed, opened read-only; None when there is none or it cannot be read."""
    try:
        home = resolve_home(ctx.find_root().params.get("home"))
        return Workspace.open(home, readonly=True, config=Config())
    except Exception:
        return None


def _offered(names: list[str], incomplete: str) -> list[str]:
    """The names that match the typed text, best first (all of them, in name order,
    when nothing is typed yet); each once, and none a terminal could not show."""
    shown = [n for n in dict.fromkeys(names) if n and safe_line(n) == n]
    if not incomplete.strip():
        found = sorted(shown, key=lambda n: (name_key(n), n))
    else:
        found = ranked(incomplete, shown, name=lambda n: n, uid=lambda n: n)
    return found[:MAX_ITEMS]


def record_names(kind: str) -> Completer:
    """A completer of the names of one record kind (client, consultant, manager)."""
    title = ENTITIES[kind].title_field

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        ws = _open(ctx)
        if ws is None:
            return []
        try:
            names = [str(doc.get(title) or "") for doc in ws.docs(kind)]
            return [CompletionItem(name) for name in _offered(names, incomplete)]
        except Exception:
            return []
        finally:
            ws.close(checkpoint="never")

    return complete


def complete_rounds(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """A completer of the eNPS rounds opened or answered in the workspace."""
    ws = _open(ctx)
    if ws is None:
        return []
    try:
        rounds = [state.name for state in round_states(ws)]
        return [CompletionItem(name) for name in _offered(rounds, incomplete)]
    except Exception:
        return []
    finally:
        ws.close(checkpoint="never")


def record_ids(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """A completer of ``show KIND ID``: names of the kind given before it, where
    records of that kind have names."""
    kind = str(ctx.params.get("kind") or "")
    for spec in ENTITIES.values():
        if kind in (spec.name, spec.plural) and spec.title_field == "name":
            return record_names(spec.name)(ctx, param, incomplete)
    return []


def completer_for(kind: str) -> Completer | None:
    """The completer of a reference to ``kind``, if records of that kind have names."""
    spec = ENTITIES.get(kind)
    if spec is None or spec.title_field != "name" or spec.scope == "anonymous":
        return None
    return record_names(kind)


@click.command("completion")
@click.argument("shell", type=click.Choice(SHELLS))
@click.pass_context
def completion_cmd(click_ctx: click.Context, shell: str) -> None:
    """Print the shell completion script for SHELL (bash, zsh or fish).

    Completes commands, options, and the names of clients, consultants, managers
    and eNPS rounds from the workspace. Load it from your shell's start-up file:

    \b
    Examples:
      eval "$(pulsetui completion bash)"          # in ~/.bashrc (bash 4.4+)
      eval "$(pulsetui completion zsh)"           # in ~/.zshrc, after compinit
      pulsetui completion fish > ~/.config/fish/completions/pulsetui.fish
    """
    from click.shell_completion import get_completion_class

    root = click_ctx.find_root().command
    completion_class = get_completion_class(shell)
    assert completion_class is not None  # every shell of SHELLS has one
    script = completion_class(root, {}, "pulsetui", COMPLETE_VAR).source()
    click.echo(script, nl=not script.endswith("\n"))

#!/usr/bin/env bash
# Runs the CI entry point (.ci/run) several times on a fresh clone of this repository
# while every CPU is kept busy, to show the suite does not depend on an idle machine.
# Not part of normal CI; run on demand:
#
#     bench/ci_under_load.sh [--runs N] [--shared DIR] [--busy N]
#
#   --runs N      how many times to run .ci/run (default 3)
#   --shared DIR  the shared product folder to place beside the clone as ../shared
#                 (default: <repository>/../shared)
#   --busy N      how many busy loops (`yes > /dev/null`) to keep running (default 2)
#
# The clone is made from the committed HEAD (uncommitted changes are not tested) in a
# temporary folder that is removed at the end; the busy loops are stopped on any exit.
# Prints pass/fail per run and exits non-zero if any run failed; the log of every run
# is kept in a folder named at the end.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
runs=3
shared="$repo/../shared"
busy=2
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --shared) shared="$2"; shift 2 ;;
        --busy) busy="$2"; shift 2 ;;
        -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
done
case "$runs" in ''|*[!0-9]*) echo "--runs must be a whole number" >&2; exit 2 ;; esac
case "$busy" in ''|*[!0-9]*) echo "--busy must be a whole number" >&2; exit 2 ;; esac
if [ ! -d "$shared" ]; then
    echo "no shared folder at $shared (give --shared DIR)" >&2
    exit 2
fi
shared="$(cd "$shared" && pwd)"

work="$(mktemp -d "${TMPDIR:-/tmp}/pulsetui-ci-load.XXXXXX")"
logs="$(mktemp -d "${TMPDIR:-/tmp}/pulsetui-ci-load-logs.XXXXXX")"
loads=()
cleanup() {
    for pid in "${loads[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

git clone --quiet "$repo" "$work/repo"
ln -s "$shared" "$work/shared"
echo "clone of $(git -C "$work/repo" rev-parse --short HEAD) in $work/repo, shared: $shared"

for _ in $(seq 1 "$busy"); do
    yes > /dev/null &
    loads+=("$!")
done
echo "$busy busy loops running (pids ${loads[*]:-none}); $runs runs of .ci/run"

failed=0
for run in $(seq 1 "$runs"); do
    log="$logs/run-$run.log"
    started=$(date +%s)
    if "$work/repo/.ci/run" > "$log" 2>&1; then
        result=pass
    else
        result=FAIL
        failed=$((failed + 1))
    fi
    summary="$(grep -E '(passed|failed|error)' "$log" | tail -n 1 || true)"
    echo "run $run: $result in $(( $(date +%s) - started )) s — ${summary:-no pytest summary}"
    if [ "$result" = FAIL ]; then
        grep -E '^(FAILED|ERROR) ' "$log" | head -n 20 | sed 's/^/  /' || true
    fi
    if [ -f "$work/repo/snapshot_report.html" ]; then  # a snapshot that did not match
        mv "$work/repo/snapshot_report.html" "$logs/run-$run-snapshot_report.html"
        echo "  snapshot report: $logs/run-$run-snapshot_report.html"
    fi
done
echo "$((runs - failed)) of $runs runs passed; logs in $logs"
[ "$failed" -eq 0 ]

"""Markdown table of bench/results.json (for docs/PERFORMANCE.md): ``python -m bench.report``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.drive import ROOT
from bench.run import FIELDS


def _cell(value) -> str:
    if value is None:
        return "—"
    return f"{value:,}" if isinstance(value, int) else str(value)


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else ROOT / "bench" / "results.json"
    rows = json.loads(path.read_text())
    print("| " + " | ".join(FIELDS) + " |")
    print("|" + "---|" * len(FIELDS))
    for row in rows:
        cells = [_cell(row[f]) for f in FIELDS]
        print("| " + " | ".join(cells) + " |")
    extra = path.with_name(path.stem + "-concurrency.json")
    if extra.exists():
        info = json.loads(extra.read_text())
        print()
        for c in info["concurrency"]:
            print(
                f"- {c['sessions']} sessions at once, {c['data']}, "
                f"{c.get('slider', 'the page slider')}: step p95 {c['step_ms_p95']} ms, "
                f"median {c['step_ms_median']} ms, {c['steps']} steps, errors: {len(c['errors'])}"
            )
        print(f"- machine: {info['machine']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

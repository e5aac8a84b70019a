"""``python -m benchmarks.report [RESULTS]``: render a results file (default ``benchmarks/results/latest.json``).

Writes the tables next to the results file (``<stem>.md``) and the SVG charts; for a full run
the charts go to ``docs/assets/`` and the tables into ``docs/performance.md`` between its
``bench`` markers. A quick run's charts go next to its results file, and the docs are left alone:
a smoke run's figures are not results.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarks.harness.heap import ROOT
from benchmarks.harness.results import path_for, read
from benchmarks.report.docs import rewrite
from benchmarks.report.tables import gallery, render

DOCS = ROOT / "docs"
PAGE = DOCS / "performance.md"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.report", description=__doc__)
    parser.add_argument("results", nargs="?", type=Path, default=path_for(quick=False))
    args = parser.parse_args()
    report = read(args.results)
    markdown = render(report)
    tables = args.results.with_suffix(".md")
    tables.write_text(markdown + "\n")
    print(f"wrote {tables}")
    full = not report.get("quick")
    charts_dir = DOCS / "assets" if full else args.results.parent / f"{args.results.stem}-charts"
    charts: list[tuple[Path, str]] = []
    try:
        from benchmarks.report.charts import draw_all
    except ImportError:  # matplotlib is in the bench extra only
        print("matplotlib is not installed: no charts")
    else:
        charts = list(draw_all(report, charts_dir))
        for chart, _ in charts:
            print(f"wrote {chart}")
    figures = [(chart.relative_to(DOCS).as_posix(), title) for chart, title in charts if full]
    if full and rewrite(PAGE, gallery(figures) + markdown):
        print(f"rewrote {PAGE}")


if __name__ == "__main__":
    main()

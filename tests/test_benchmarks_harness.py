"""The benchmark harness's pure parts: statistics, the results file, tables, docs markers, charts.

Runs in the main environment (no peer packages): nothing here measures or builds a client.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.harness import results, stats
from benchmarks.report import docs, tables
from benchmarks.workloads import turns


def test_quartiles_and_best_of() -> None:
    assert stats.quartiles([5.0]) == {"median": 5.0, "q1": 5.0, "q3": 5.0}
    assert stats.quartiles([1.0, 2.0, 3.0, 4.0, 5.0])["median"] == 3.0
    assert stats.best_cpu({"noop": lambda: None}, rounds=3, batch=2)["noop"] >= 0.0
    assert set(stats.best_cpu({"a": lambda: None, "b": lambda: None}, rounds=1, batch={"a": 1, "b": 3})) == {"a", "b"}


def test_calibrated_batches_cover_the_budget() -> None:
    calls: list[None] = []
    assert stats.calibrated(lambda: calls.append(None), budget=0.0) == 1
    assert len(calls) == 2  # one to warm up, one timed


def test_slope_is_the_cost_per_unit() -> None:
    assert stats.slope({4: 10.0, 100: 202.0, 1600: 3202.0}) == pytest.approx(2.0)
    assert stats.slope({4: 7.0}) == 0.0


def test_bursts_in_the_slow_mode_are_counted_apart() -> None:
    samples = [1.0, 1.2, 1.6, 3.0]
    assert stats.fast_bursts(samples) == [1.0, 1.2]
    assert stats.slow_bursts(samples) == 2
    assert stats.fast_median(samples) == pytest.approx(1.1)


def test_shuffled_rounds_run_every_job_once_per_round() -> None:
    ran: list[str] = []
    samples = stats.shuffled_rounds({"a": lambda: ran.append("a") or 1.0, "b": lambda: ran.append("b") or 2.0}, 4)
    assert samples == {"a": [1.0] * 4, "b": [2.0] * 4}
    assert sorted(ran) == ["a"] * 4 + ["b"] * 4


def test_history_turns_end_with_a_tool_result() -> None:
    history = turns(8)
    assert len(history) == 8
    assert [kind for kind, *_ in history] == ["system", "user", "call", "tool", "answer", "user", "call", "tool"]
    with pytest.raises(ValueError, match="multiple of 4"):
        turns(6)


def growth_fixture() -> dict[str, object]:
    floors = {"LangChain floor": "LangChain floor", "ChatModelverse": "LangChain floor"}
    return {
        "floors": floors,
        "messages_us": {
            "LangChain floor": {"4": 1000.0, "100": 1960.0},
            "ChatModelverse": {"4": 1100.0, "100": 2252.0},
        },
        "tools_us": {"LangChain floor": {"0": 1000.0, "20": 1200.0}, "ChatModelverse": {"0": 1100.0, "20": 1300.0}},
        "tools_history": 4,
        "per_message_us": {"LangChain floor": 10.0, "ChatModelverse": 12.0},
        "per_tool_us": {"LangChain floor": 10.0, "ChatModelverse": 10.0},
    }


def small_report(quick: bool) -> dict[str, object]:
    growth = growth_fixture()
    return {
        "machine": "Linux x86_64",
        "date": "2026-12-06",
        "versions": {"openai": "2.54.0"},
        "quick": quick,
        "growth": {"chat": growth, "responses": growth},
    }


def test_results_round_trip(tmp_path: Path) -> None:
    report = small_report(quick=True)
    path = results.write(report, results.path_for(quick=True, directory=tmp_path))
    assert path.name == "quick.json"
    assert results.read(path) == json.loads(json.dumps(report))
    assert results.path_for(quick=False, directory=tmp_path).name == "latest.json"


def test_tables_render_only_what_was_measured() -> None:
    markdown = tables.render(small_report(quick=False))
    assert markdown.startswith("Ran 2026-12-06 on Linux x86_64; openai 2.54.0.")
    assert (
        "| ChatModelverse | 1,100 µs | 2,252 µs | 1,100 µs | 1,300 µs | 12.0 µs (1.20x) | 10.0 µs (1.00x) |" in markdown
    )
    assert "Request cost on `/v1/responses`" in markdown
    assert "Against the raw" not in markdown and "one call" not in markdown  # no call measure in these results
    assert "Quick run" in tables.render(small_report(quick=True))
    assert tables.gallery([("assets/a.svg", "A")]) == "![A](assets/a.svg)\n\n"


def test_docs_markers_are_rewritten_and_nothing_else(tmp_path: Path) -> None:
    page = tmp_path / "performance.md"
    page.write_text(f"# Performance\n\nintro\n\n{docs.START}\nold\n{docs.END}\n\nafter\n")
    assert docs.rewrite(page, "new table")
    assert page.read_text() == f"# Performance\n\nintro\n\n{docs.START}\nnew table\n{docs.END}\n\nafter\n"
    bare = tmp_path / "other.md"
    bare.write_text("no markers\n")
    assert not docs.rewrite(bare, "new table")
    assert bare.read_text() == "no markers\n"


def test_charts_are_svg_with_no_date(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from benchmarks.report.charts import draw_all

    written = [path for path, _ in draw_all(small_report(quick=False), tmp_path)]
    assert {p.name for p in written} == {
        "bench-history-chat.svg",
        "bench-history-responses.svg",
        "bench-tools-chat.svg",
        "bench-tools-responses.svg",
    }
    first = written[0].read_text()
    assert first.startswith("<?xml") and "<dc:date>" not in first
    again, title = next(iter(draw_all(small_report(quick=False), tmp_path)))
    assert again.read_text() == first  # reproducible
    assert title == "Request cost as the history grows (chat completions)"


def test_every_measure_is_registered_and_imports_without_the_peers() -> None:
    from benchmarks.__main__ import MEASURES

    assert set(MEASURES) == {
        "call",
        "stream",
        "concurrent",
        "request_path",
        "client_cpu",
        "history",
        "long_arguments",
        "agent_step",
        "cold_start",
        "memory",
    }

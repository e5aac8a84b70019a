"""``examples/ray_batch.py`` on a local Ray cluster, its workers calling the stand-in on 127.0.0.1."""

from __future__ import annotations

import importlib.util
import os
import re

import pytest

from modelverse_core.settings import API_KEY_ENV, BASE_URL_ENV
from tests.cassette_config import ROOT, TEST_KEY
from tests.standin import StandinServer

# One short run: Ray's start-up dominates (tens of seconds on two busy cores).
pytestmark = [pytest.mark.once, pytest.mark.standin, pytest.mark.timeout(240)]


def test_ray_example_labels_every_review_in_worker_processes(
    standin: StandinServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(BASE_URL_ENV, standin.base_url)
    monkeypatch.setenv(API_KEY_ENV, TEST_KEY)
    spec = importlib.util.spec_from_file_location("example_ray_batch", ROOT / "examples" / "ray_batch.py")
    assert spec is not None and spec.loader is not None
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)

    example.main()

    out = capsys.readouterr().out
    reviews = example.REVIEWS
    for name in ("ChatModelverse", "Modelverse"):
        summary = re.search(rf"^{name}: (\d+) reviews labelled in worker processes ([\d, ]+)$", out, re.M)
        assert summary, out
        assert int(summary[1]) == len(reviews)
        assert str(os.getpid()) not in summary[2].split(", ")  # labelled in workers, not here
    for review in reviews:  # each label is the stand-in's answer to that very review, once per framework
        prompt = example.PROMPT.format(review=review)
        assert out.count(f"  [You said: {prompt}. This is the stand-in") == 2, out
    chat = [r for r in standin.requests if r["path"].endswith("/chat/completions")]
    assert len(chat) == 2 * len(reviews)
    keys = {value for r in chat for name, value in r["headers"].items() if name.lower() == "authorization"}
    assert keys == {f"Bearer {TEST_KEY}"}  # the pickled models held no key: the workers read their environment

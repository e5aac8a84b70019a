"""No cassette holds a key: the Authorization header is scrubbed from every recording."""

from __future__ import annotations

import yaml

from tests.conftest import CASSETTES, SCRUBBED_HEADERS, TEST_KEY, _live_key


def cassette_files() -> list:
    return sorted(CASSETTES.rglob("*.yaml"))


def test_cassettes_exist_for_every_suite() -> None:
    suites = {path.relative_to(CASSETTES).parts[0] for path in cassette_files()}
    assert {"core"} <= suites


def test_no_cassette_contains_an_authorization_header_or_a_key() -> None:
    secrets = [TEST_KEY, "Bearer "] + ([_live_key] if _live_key else [])
    for path in cassette_files():
        text = path.read_text(encoding="utf-8")
        for secret in secrets:
            assert secret not in text, f"{path} contains a secret"
        for interaction in yaml.safe_load(text)["interactions"]:
            names = {name.lower() for name in interaction["request"]["headers"]}
            names |= {name.lower() for name in interaction["response"].get("headers", {})}
            assert not names & set(SCRUBBED_HEADERS), f"{path} keeps {names & set(SCRUBBED_HEADERS)}"

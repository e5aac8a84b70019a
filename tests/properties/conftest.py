"""The budgets of the property tests: a fixed, derandomized one in ``make test``, a large one in ``make fuzz``.

``make test`` runs the default profile, ``ci``: every property draws the same cases on every
run (``derandomize``), a few seconds each. ``make fuzz`` sets ``HYPOTHESIS_PROFILE=fuzz``:
random cases, fifty times as many. Each property states its budget as a share of the
profile's ``max_examples`` through :func:`budget`.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_SHARED = {
    "deadline": None,
    "database": None,
    "print_blob": True,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
settings.register_profile("ci", max_examples=100, derandomize=True, **_SHARED)
settings.register_profile("fuzz", max_examples=5000, derandomize=False, **_SHARED)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
if os.environ.get("HYPOTHESIS_MAX_EXAMPLES"):  # a budget of one's own, e.g. a shorter fuzz run
    settings.register_profile("chosen", settings.default, max_examples=int(os.environ["HYPOTHESIS_MAX_EXAMPLES"]))
    settings.load_profile("chosen")


def budget(share: float) -> settings:
    """Settings running ``share`` of the loaded profile's ``max_examples`` (at least one case)."""
    return settings(max_examples=max(1, int(settings.default.max_examples * share)))

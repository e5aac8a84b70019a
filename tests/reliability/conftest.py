from __future__ import annotations

import pytest

from tests.reliability.drivers import DRIVERS, Driver


@pytest.fixture(params=DRIVERS, ids=lambda d: d.name)
def driver(request: pytest.FixtureRequest) -> Driver:
    return request.param  # type: ignore[no-any-return]

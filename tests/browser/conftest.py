"""The browser the browser tests share (see :mod:`tests.browser.chromium`)."""

from __future__ import annotations

import pytest

from .chromium import launched


@pytest.fixture
def browser():
    with launched() as browser:
        yield browser

"""Debian's chromium driven by Playwright, for the browser tests: skip the calling module
when either is missing (scripts/setup.sh installs both), and launch it headless."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("TGD_CHROMIUM", "/usr/bin/chromium"))


def require_playwright() -> ModuleType:
    """``playwright.sync_api``; skips the calling module when chromium or Playwright is missing."""
    if not CHROMIUM.exists():  # scripts/setup.sh installs it (apt): only a machine without it skips
        pytest.skip(f"{CHROMIUM} is missing: run scripts/setup.sh (apt-get install chromium)", allow_module_level=True)
    return pytest.importorskip("playwright.sync_api", reason="playwright is not installed: run scripts/setup.sh")


@contextmanager
def launched(**options: Any) -> Iterator[Any]:
    """A headless chromium (the Debian one: Playwright downloads no browser)."""
    playwright = require_playwright()
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, **options)
        yield browser
        browser.close()

"""Running the official AsyncAPI parser (npm ``@asyncapi/parser``, installed by
scripts/setup.sh under tools/asyncapi/) on a document, from a test."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

TOOL = Path(__file__).resolve().parents[4] / "tools" / "asyncapi"


def parser_version() -> str:
    package = TOOL / "node_modules" / "@asyncapi" / "parser" / "package.json"
    return json.loads(package.read_text())["version"] if package.exists() else "missing"


def validate(*documents: Path) -> list[dict[str, Any]]:
    """One summary per document (``valid``, ``errors``, counts). Raises a clear error when
    node or the parser is missing: CI has them, so their absence is a failure."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not installed: run scripts/setup.sh (it installs nodejs and npm)")
    if parser_version() == "missing":
        raise RuntimeError(f"@asyncapi/parser is not installed in {TOOL}: run scripts/setup.sh (npm ci)")
    done = subprocess.run(
        [node, str(TOOL / "validate.cjs"), *map(str, documents)], capture_output=True, text=True, timeout=120
    )
    if done.returncode not in (0, 1):
        raise RuntimeError(f"the AsyncAPI parser crashed: {done.stderr[-2000:]}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]

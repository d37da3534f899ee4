"""The licence table is generated from what is installed and every licence is compatible
with distributing the project under EUPL-1.2 (scripts/licences.py)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_docs_licences_is_up_to_date_and_every_licence_is_compatible():
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts/licences.py"), "--check"], capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr


def test_every_package_declares_the_project_licence():
    assert (ROOT / "LICENSE").read_text().startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    projects = [p for p in ROOT.glob("**/pyproject.toml") if ".venv" not in p.parts and "node_modules" not in p.parts]
    declared = {p: tomllib.loads(p.read_text()).get("project", {}).get("license") for p in projects}
    assert {p: v for p, v in declared.items() if "project" in tomllib.loads(p.read_text()) and v != "EUPL-1.2"} == {}
    assert len([v for v in declared.values() if v == "EUPL-1.2"]) >= 10

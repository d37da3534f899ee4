"""JSON Schema snapshots: one file per model and version under ``schemas/``.

``schemas/<name>/<version>.json`` holds the schema a model had at that version. A
model whose schema differs from the snapshot of its current version fails the
contract tests: bump ``SCHEMA_VERSION`` and write a new snapshot
(``tgd contracts snapshot``). An existing version's file is never rewritten.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tgd_contracts.base import Contract
from tgd_contracts.envelope import Envelope
from tgd_contracts.registry import all_models

SCHEMA_DIR = Path(__file__).parent / "schemas"
ENVELOPE_NAME = "cloudevent_envelope"
ENVELOPE_VERSION = "1.0.0"


def current_schema(model: type[Contract] | type[Envelope]) -> dict[str, Any]:
    return model.model_json_schema(mode="validation")


def snapshot_path(name: str, version: str) -> Path:
    return SCHEMA_DIR / name / f"{version}.json"


def models_with_versions() -> dict[str, tuple[type, str]]:
    entries: dict[str, tuple[type, str]] = {ENVELOPE_NAME: (Envelope, ENVELOPE_VERSION)}
    entries.update({name: (model, model.SCHEMA_VERSION) for name, model in all_models().items()})
    return entries


def read_snapshot(name: str, version: str) -> dict[str, Any] | None:
    path = snapshot_path(name, version)
    return json.loads(path.read_text()) if path.exists() else None


def stale_snapshots() -> list[str]:
    """Names whose current schema is missing or differs from its version's snapshot."""
    return [
        f"{name}@{version}"
        for name, (model, version) in models_with_versions().items()
        if read_snapshot(name, version) != current_schema(model)
    ]


def write_new_snapshots() -> list[str]:
    """Write snapshots for versions that have none; refuse to rewrite an existing one."""
    written, refused = [], []
    for name, (model, version) in models_with_versions().items():
        existing = read_snapshot(name, version)
        schema = current_schema(model)
        if existing is None:
            path = snapshot_path(name, version)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n")
            written.append(f"{name}@{version}")
        elif existing != schema:
            refused.append(f"{name}@{version}")
    if refused:
        raise ValueError("schema changed without a version bump (raise SCHEMA_VERSION): " + ", ".join(refused))
    return written

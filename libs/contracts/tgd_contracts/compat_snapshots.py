"""The compatibility check run in CI: each model's current schema against the snapshot
of its previous version (``schemas/<name>/<version>.json``), with :mod:`compat`'s rules.

``tgd contracts compat`` and the contract test suite call :func:`incompatible_changes`.
"""

from __future__ import annotations

from typing import Any

from tgd_contracts.compat import check_change, parse_version
from tgd_contracts.snapshots import SCHEMA_DIR, current_schema, models_with_versions, read_snapshot


def snapshot_versions(name: str) -> list[str]:
    folder = SCHEMA_DIR / name
    found = [p.stem for p in folder.glob("*.json")] if folder.is_dir() else []
    return sorted(found, key=parse_version)


def previous_version(name: str, version: str) -> str | None:
    earlier = [v for v in snapshot_versions(name) if parse_version(v) < parse_version(version)]
    return earlier[-1] if earlier else None


def compare_with_previous(name: str, version: str, schema: dict[str, Any]) -> list[str]:
    previous = previous_version(name, version)
    if previous is None:
        return []
    old = read_snapshot(name, previous)
    assert old is not None
    return check_change(name, previous, old, version, schema)


def incompatible_changes() -> list[str]:
    """Every model whose current version breaks consumers of its previous one."""
    problems: list[str] = []
    for name, (model, version) in models_with_versions().items():
        problems += compare_with_previous(name, version, current_schema(model))
    return problems

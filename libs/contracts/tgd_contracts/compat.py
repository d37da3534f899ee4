"""Backward compatibility of a contract change, as pure functions over JSON Schemas.

A contract is read by consumers (events) and written by partners (HTTP/RPC payloads),
so a change is compatible only when both sides keep working. Without a MAJOR version
bump a new schema may NOT:

- remove a property (``removed``);
- change a property's JSON type (``retyped``; ``string`` -> ``integer``, nullable
  added or dropped);
- make a property required that was not (``newly_required``; includes a new
  required property);
- drop a value from an enum or change a ``const`` (``enum_narrowed``);
- tighten a constraint (``constraint_tightened``: smaller max, larger min, another
  ``pattern``, ``additionalProperties`` closed).

A new optional property, a widened enum or a looser constraint are reported as
non-breaking changes (``Change.breaking`` false). Schemas are those pydantic writes
(``$defs`` + local ``$ref``, ``anyOf`` with ``null`` for optional values).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Schema = dict[str, Any]
_UPPER = ("maxLength", "maxItems", "maximum", "exclusiveMaximum", "maxProperties")
_LOWER = ("minLength", "minItems", "minimum", "exclusiveMinimum", "minProperties")


@dataclass(frozen=True)
class Change:
    path: str
    kind: str
    detail: str
    breaking: bool

    def __str__(self) -> str:
        return f"{self.path or '<root>'}: {self.kind} ({self.detail})"


def _resolve(schema: Schema, root: Schema) -> Schema:
    seen = 0
    while "$ref" in schema and seen < 32:
        ref = schema["$ref"]
        if not ref.startswith("#/"):
            raise ValueError(f"only local $ref are supported, not {ref!r}")
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
        seen += 1
    return schema


def _branches(schema: Schema, root: Schema) -> list[Schema]:
    schema = _resolve(schema, root)
    variants = schema.get("anyOf") or schema.get("oneOf")
    if not variants:
        return [schema]
    return [b for v in variants for b in _branches(v, root)]


def json_types(schema: Schema, root: Schema) -> frozenset[str]:
    """The JSON types a schema admits (``any`` when it does not say)."""
    found: set[str] = set()
    for branch in _branches(schema, root):
        kind = branch.get("type")
        if kind is None:
            found.add("object" if "properties" in branch else "any")
        else:
            found.update([kind] if isinstance(kind, str) else kind)
    if "integer" in found and "number" in found:
        found.discard("integer")
    return frozenset(found)


def _non_null(schema: Schema, root: Schema) -> Schema | None:
    branches = [b for b in _branches(schema, root) if b.get("type") != "null"]
    return branches[0] if len(branches) == 1 else None


def _enum(schema: Schema) -> list[Any] | None:
    if "enum" in schema:
        return list(schema["enum"])
    return [schema["const"]] if "const" in schema else None


def _constraints(old: Schema, new: Schema, path: str) -> list[Change]:
    changes: list[Change] = []
    for key in _UPPER + _LOWER:
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        upper = key in _UPPER
        tighter = (after is not None and before is None) or (
            before is not None and after is not None and (after < before if upper else after > before)
        )
        changes.append(Change(path, "constraint_tightened" if tighter else "constraint_loosened", key, tighter))
    if old.get("pattern") != new.get("pattern") and new.get("pattern") is not None:
        changes.append(Change(path, "constraint_tightened", f"pattern {new.get('pattern')!r}", True))
    if old.get("additionalProperties", True) is not False and new.get("additionalProperties", True) is False:
        changes.append(Change(path, "constraint_tightened", "additionalProperties closed", True))
    return changes


def _compare(old: Schema, new: Schema, old_root: Schema, new_root: Schema, path: str) -> list[Change]:
    old_types, new_types = json_types(old, old_root), json_types(new, new_root)
    if old_types != new_types and "any" not in old_types:
        return [Change(path, "retyped", f"{sorted(old_types)} -> {sorted(new_types)}", True)]
    old_s, new_s = _non_null(old, old_root), _non_null(new, new_root)
    if old_s is None or new_s is None:
        return []
    changes = _constraints(old_s, new_s, path)
    old_enum, new_enum = _enum(old_s), _enum(new_s)
    if old_enum is not None and new_enum is not None:
        if dropped := [v for v in old_enum if v not in new_enum]:
            changes.append(Change(path, "enum_narrowed", f"dropped {dropped}", True))
        if added := [v for v in new_enum if v not in old_enum]:
            changes.append(Change(path, "enum_widened", f"added {added}", False))
    elif new_enum is not None and old_enum is None:
        changes.append(Change(path, "enum_narrowed", f"now limited to {new_enum}", True))
    if "object" in old_types:
        changes += _compare_objects(old_s, new_s, old_root, new_root, path)
    if "array" in old_types and "items" in old_s and "items" in new_s:
        changes += _compare(old_s["items"], new_s["items"], old_root, new_root, f"{path}[]")
    return changes


def _compare_objects(old: Schema, new: Schema, old_root: Schema, new_root: Schema, path: str) -> list[Change]:
    changes: list[Change] = []
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
    for name, old_prop in old_props.items():
        where = f"{path}.{name}" if path else name
        if name not in new_props:
            changes.append(Change(where, "removed", "property removed", True))
            continue
        changes += _compare(old_prop, new_props[name], old_root, new_root, where)
    for name in new_props:
        where = f"{path}.{name}" if path else name
        if name not in old_props:
            required = name in new_required
            changes.append(Change(where, "added", "required" if required else "optional", False))
    for name in sorted(new_required - old_required):
        where = f"{path}.{name}" if path else name
        changes.append(Change(where, "newly_required", "now required", True))
    return changes


def schema_changes(old: Schema, new: Schema) -> list[Change]:
    """Every difference that matters to a consumer or a producer, breaking or not."""
    return _compare(old, new, old, new, "")


def breaking_changes(old: Schema, new: Schema) -> list[Change]:
    return [c for c in schema_changes(old, new) if c.breaking]


def parse_version(version: str) -> tuple[int, int, int]:
    major, minor, patch = (int(p) for p in version.split("."))
    return major, minor, patch


def check_change(name: str, old_version: str, old: Schema, new_version: str, new: Schema) -> list[str]:
    """Problems with moving ``name`` from ``old_version`` to ``new_version`` (empty: fine)."""
    if parse_version(new_version) <= parse_version(old_version):
        return [f"{name}: version {new_version} does not follow {old_version}"]
    if parse_version(new_version)[0] > parse_version(old_version)[0]:
        return []  # a MAJOR bump may break; consumers must migrate
    return [
        f"{name} {old_version} -> {new_version}: {change} breaks consumers without a MAJOR version bump"
        for change in breaking_changes(old, new)
    ]

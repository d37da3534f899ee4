"""Moving pydantic's JSON Schemas into an AsyncAPI document's ``components/schemas``.

pydantic writes each model as a schema with its own ``$defs`` and local references
(``#/$defs/Urgency``). In one document these become shared components: every
definition is hoisted to ``components/schemas`` under its name (the same definition
used by several models is stored once; two different definitions with one name get
the owner's name as a prefix) and every ``$ref`` is rewritten to point there.
"""

from __future__ import annotations

import json
from typing import Any

Schema = dict[str, Any]
COMPONENT_PREFIX = "#/components/schemas/"


def _canonical(schema: Schema) -> str:
    return json.dumps(schema, sort_keys=True)


def _rewrite(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                out[key] = COMPONENT_PREFIX + renames[value.removeprefix("#/$defs/")]
            else:
                out[key] = _rewrite(value, renames)
        return out
    if isinstance(node, list):
        return [_rewrite(item, renames) for item in node]
    return node


class SchemaComponents:
    """Accumulates ``components/schemas`` for one document."""

    def __init__(self) -> None:
        self.schemas: dict[str, Schema] = {}
        self._raw: dict[str, str] = {}

    def _claim(self, owner: str, name: str, raw: Schema) -> str:
        canonical = _canonical(raw)
        for candidate in (name, f"{owner}.{name}"):
            if self._raw.get(candidate, canonical) == canonical:
                self._raw[candidate] = canonical
                return candidate
        raise ValueError(f"cannot name the schema {name!r} of {owner!r} uniquely")

    def add(self, name: str, schema: Schema) -> str:
        """Store ``schema`` (and its ``$defs``) as ``name``; return the ``$ref`` to it."""
        defs = schema.get("$defs", {})
        body = {k: v for k, v in schema.items() if k != "$defs"}
        renames = {def_name: self._claim(name, def_name, defs[def_name]) for def_name in sorted(defs)}
        for def_name, component in renames.items():
            self.schemas[component] = _rewrite(defs[def_name], renames)
        component = self._claim(name, name, body)
        self.schemas[component] = _rewrite(body, renames)
        return COMPONENT_PREFIX + component

    def sorted(self) -> dict[str, Schema]:
        return dict(sorted(self.schemas.items()))

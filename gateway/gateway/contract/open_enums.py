"""Open enumerations: an enumeration a partner reads in an answer is documented as a
string with its known values (``x-known-values``), not closed: a client generated today
must not fail on a value added later. Enumerations only sent by clients stay closed (the
gateway refuses a value it does not know)."""

from __future__ import annotations

from typing import Any

OPEN_ENUM_NOTE = (
    "Open list: new values may be added without a new API version; a client must accept "
    "(and may ignore) a value it does not know. Known values: "
)


def refs_in(value: Any) -> set[str]:
    found: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                found.add(ref.rsplit("/", 1)[1])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def reachable_from_answers(spec: dict[str, Any]) -> set[str]:
    schemas = spec.get("components", {}).get("schemas", {})
    todo = refs_in([op.get("responses", {}) for ops in spec.get("paths", {}).values() for op in ops.values()])
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen or name not in schemas:
            continue
        seen.add(name)
        todo |= refs_in(schemas[name])
    return seen


def open_enum(schema: dict[str, Any]) -> None:
    values = schema.pop("enum")
    schema["type"] = "string"
    schema.pop("const", None)
    listed = ", ".join(f"`{v}`" for v in values)
    schema["description"] = (schema.get("description", "").strip() + "\n\n" + OPEN_ENUM_NOTE + listed).strip()
    schema["x-known-values"] = values


def open_enums(spec: dict[str, Any]) -> None:
    """An enumeration a partner reads in an answer is documented, not closed: a generated
    client must not fail on a value added later. Enums only sent by clients stay closed."""
    schemas = spec.get("components", {}).get("schemas", {})
    for name in reachable_from_answers(spec):
        stack = [schemas[name]]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                if isinstance(item.get("enum"), list) and all(isinstance(v, str) for v in item["enum"]):
                    open_enum(item)
                stack.extend(v for k, v in item.items() if k != "x-known-values")
            elif isinstance(item, list):
                stack.extend(item)

"""What the access guard checks in a route's answer (pure functions): the territory an
answer names, and the items of its lists outside the caller's territory (withheld)."""

from __future__ import annotations

import logging
from typing import Any

from gateway.auth.audit_entry import Verdict
from gateway.auth.request_parts import set_path, short_str
from gateway.auth.rules import Rule, Source, dig

log = logging.getLogger("gateway.auth.guard")


def withhold_foreign_items(rule: Rule, v: Verdict, data: Any) -> bool:
    """Drop the items of an answer's lists that are outside the caller's territory; True if any was."""
    changed = False
    for loc in rule.territory:
        if loc.source is not Source.ANSWER or "[]." not in loc.field:
            continue
        list_path, item_field = loc.field.split("[].", 1)
        items = dig(data, list_path)
        if isinstance(items, list):
            kept = [i for i in items if loc.covered(v.principal, dig(i, item_field))]
            if len(kept) != len(items):
                log.warning("%s: %d foreign items withheld", v.action, len(items) - len(kept))
                set_path(data, list_path, kept)
                changed = True
    return changed


def answer_covered(rule: Rule, v: Verdict, data: Any) -> bool:
    for loc in rule.territory:
        if loc.source is not Source.ANSWER or "[]." in loc.field:  # lists: withhold_foreign_items
            continue
        value = dig(data, loc.field)
        v.jurisdiction = short_str(value) or v.jurisdiction
        if not loc.covered(v.principal, value):
            return False
    return True

"""What is checked in a route's answer (pure functions): the territory an answer names,
the items of its lists outside the caller's territory (withheld), and which routes must
hand their answer to these checks (:mod:`gateway.auth.answer_guard` applies them)."""

from __future__ import annotations

import logging
import re
from typing import Any

from gateway.auth.audit_entry import Verdict, answer_object_id
from gateway.auth.request_parts import set_path, short_str
from gateway.auth.roles import Principal
from gateway.auth.rules import Rule, Source, dig

log = logging.getLogger("gateway.auth.guard")
#: the locators that name the jurisdiction (or department) of a request before the route runs
PLACED_BEFORE = (Source.QUERY, Source.PATH, Source.BODY, Source.LOOKUP)


def reads_answer(rule: Rule, path_format: str) -> bool:
    """Whether the route's answer must go through :func:`check_answer`: its rule names a
    territory in the answer, or the access log needs the object or the jurisdiction the
    answer names (not known from the path and the request's territory)."""
    if any(loc.source is Source.ANSWER for loc in rule.territory):
        return True
    if not rule.recorded:
        return False
    params = re.findall(r"{(\w+)", path_format)
    knows_object = (rule.object_id in params) or len(params) == 1
    knows_place = any(
        loc.source in PLACED_BEFORE and loc.kind in ("jurisdiction", "department") and loc.required
        for loc in rule.territory
    )
    return not (knows_object and knows_place)


def needs_answer(rule: Rule, v: Verdict) -> bool:
    """Whether anything is read in the answer: a territory, or what the access log does not know yet."""
    reads = any(loc.source is Source.ANSWER for loc in rule.territory)
    return reads or (rule.recorded and (v.object_id is None or v.jurisdiction is None))


def check_answer(rule: Rule, v: Verdict, data: Any) -> bool:
    """Withhold the foreign items of ``data``'s lists (in place), note the object and the
    jurisdiction it names in the verdict (for the access log); False when the answer is
    outside the caller's territory (then the route answers the same 404 as a missing object)."""
    if not needs_answer(rule, v):
        return True  # nothing to read in the answer
    withhold_foreign_items(rule, v, data)
    if not answer_covered(rule, v, data):
        return False
    if v.object_id is None:
        v.object_id = answer_object_id(rule, data)
    if v.jurisdiction is None and isinstance(data, dict):
        v.jurisdiction = short_str(data.get("jurisdiction"))
    return True


def names_foreign(rule: Rule, principal: Principal, data: Any) -> bool:
    """Whether ``data`` (or an item of its lists) names a territory outside the caller's:
    the answer is then refused, or items withheld (read only, nothing changed)."""
    for loc in rule.territory:
        if loc.source is not Source.ANSWER:
            continue
        if "[]." not in loc.field:
            if not loc.covered(principal, dig(data, loc.field)):
                return True
            continue
        list_path, item_field = loc.field.split("[].", 1)
        items = dig(data, list_path)
        if isinstance(items, list) and not all(loc.covered(principal, dig(i, item_field)) for i in items):
            return True
    return False


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

"""French labels of the operator console (the operators are French; the code and the API
stay in English). One table per value set of the contracts, in the catalogue
``labels_fr.toml`` beside this module (``labels.OUTCOMES`` is its ``[OUTCOMES]`` table);
the alerts' states are the people's screens' ``ALERT_STATE``. An unknown value is shown
as is."""

from __future__ import annotations

import re
from pathlib import Path

from tgd_console import labels as shared

TABLES = {
    "ALERT_STATE": shared.TABLES["ALERT_STATE"],
    **shared.read_catalogue(Path(__file__).with_name("labels_fr.toml")),
}


def __getattr__(name: str) -> shared.Table:
    return shared.table_named(TABLES, name)


# the reminders' panel: never mistaken for the alerts' (which are not concerned)
REMINDERS_UNAVAILABLE = (
    "Rappels indisponibles pour l'instant (service des rappels injoignable) : les alertes ne sont pas concernées."
)


def label(table: dict[str, str], value: object) -> str:
    return table.get(str(value), str(value)) if value is not None else ""


def in_french(table: str, value: object) -> str:
    """``value``'s label in the catalogue's table named ``table``."""
    return label(TABLES[table], value)


def by_section(table: dict[str, dict[str, str]]) -> tuple[tuple[str, str, str], ...]:
    """A table by section (``[FIGURES.section]`` then ``measure = "label"``) as its
    (section, measure, label) rows, in the catalogue's order."""
    return tuple((section, measure, text) for section, texts in table.items() for measure, text in texts.items())


def french_question(text: str) -> str:
    """The script's questions are written ``"français / English"``: the French part."""
    return text.split(" / ", 1)[0]


def journal_detail(kind: str, detail: str | None, questions: dict[str, str] | None = None) -> str:
    """A journal entry's detail in French where its shape is known (``question=answer``,
    the question by its French text when the script is given as ``{id: text}``;
    ``step: audience.territory.unit``, an outcome or result value); as recorded otherwise."""
    if not detail:
        return ""
    if kind == "answer" and "=" in detail:
        question, value = detail.split("=", 1)
        text = french_question(questions[question]) if questions and question in questions else question
        return f"{text} : {in_french('ANSWERS', value)}"
    if kind in ("dispatch", "escalation") and ": " in detail:
        step, recipient = detail.split(": ", 1)
        return f"{in_french('STEPS', step)} ({recipient})"
    if kind == "acknowledged":
        return in_french("STEPS", detail)
    if kind == "qualified":
        outcome, _, rest = detail.partition(" ")
        suggested = rest.removeprefix("(script suggested ").removesuffix(")") if rest else ""
        return in_french("OUTCOMES", outcome) + (
            f" (la trame suggérait : {in_french('OUTCOMES', suggested)})" if suggested else ""
        )
    if kind in ("closed", "outcome"):
        return in_french("RESULTS", detail)
    if kind == "repeat" and ": attempt " in detail:
        step, attempt = detail.split(": attempt ", 1)
        return f"{in_french('STEPS', step)}, envoi n° {attempt}"
    if kind == "located":
        found = re.fullmatch(r"(\w+) \((\w+)\): (\S+) zone of (\S+)", detail)
        if found:
            basis, status, zone, department = found.groups()
            by = {"position": "selon sa position", "home": "selon son domicile"}.get(basis, "sans lieu connu")
            where = f"{in_french('ZONES', zone)} du {department}"
            return f"{by}, zone {where} ({in_french('POSITION_STATUSES', status)})"
    if kind == "failsafe":
        found = re.fullmatch(r"no operator within ([\d.]+)s", detail)
        if found:
            return f"aucun opérateur en {found.group(1)} s"
        found = re.fullmatch(r"not qualified within ([\d.]+)s of being taken", detail)
        if found:
            return f"pas de décision {found.group(1)} s après la prise en charge"
    return detail

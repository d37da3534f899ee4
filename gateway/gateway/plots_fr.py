"""The observatory's plots in French (for the operator console, and any French reader:
``?lang=fr``): every text of a drawn figure is translated in place, so the drawing code
(gateway/plots.py) stays one. A text not in the table is left as drawn."""

from __future__ import annotations

import re
from datetime import date

from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FixedFormatter, Formatter, FuncFormatter

FRENCH: dict[str, str] = {
    # titles
    "Activity": "Activité",
    "Withdrawals by reason": "Retraits par motif",
    "Alerts": "Alertes",
    "Alert handling delays": "Délais de traitement des alertes",
    "by nature (qualification)": "par nature (qualification)",
    "by outcome (intervention)": "par suite (intervention)",
    # axes
    "count (hatched: fewer than 5, not published)": "effectif (hachuré : moins de 5, non publié)",
    "count": "effectif",
    "seconds": "secondes",
    "p50": "médiane",
    "p90": "90e centile",
    "max": "maximum",
    # activity
    "referrals": "signalements",
    "urgent referrals": "signalements urgents",
    "evaluations requested": "évaluations demandées",
    "evaluations completed": "évaluations rendues",
    "decisions": "décisions",
    "attributions": "attributions",
    "refusals": "refus",
    "renewals": "renouvellements",
    "withdrawals": "retraits",
    "expiries": "fins sans renouvellement",
    "devices provisioned": "téléphones remis",
    "devices returned": "téléphones restitués",
    "alerts": "alertes",
    # withdrawal reasons (§F)
    "danger ceased": "fin du danger",
    "author incarcerated": "incarcération de l'auteur",
    "beneficiary request": "demande de la bénéficiaire",
    "prosecutor request": "demande du parquet",
    "non compliance": "non-respect des consignes",
    # alert natures and outcomes
    "danger": "danger",
    "no danger": "pas de danger",
    "test call": "appel test",
    "accidental": "appui accidentel",
    "not qualified": "non qualifiée",
    "on site": "patrouille sur place",
    "author arrested": "auteur interpellé",
    "author gone": "auteur parti",
    "no one found": "personne trouvée : aucune",
    "false alarm": "fausse alerte",
    "other": "autre",
    "none": "aucun compte rendu",
    # delay steps
    "trigger → taken": "déclenchement → prise en charge",
    "taken → dispatched": "prise en charge → forces alertées",
    "dispatched → acknowledged": "forces alertées → accusé de réception",
}
TITLE = re.compile(
    r"^(?P<what>.+) — (?P<where>[a-z0-9-]+), (?P<start>\d{4}-\d{2}-\d{2}) to (?P<end>\d{4}-\d{2}-\d{2})$"
)
TOTAL = re.compile(r"^(?P<what>.+) \(total (?P<total>[^)]+)\)$")
DEVICES_NOW = re.compile(
    r"^devices now: (?P<stock>\S+) in stock, (?P<assigned>\S+) assigned, (?P<overdue>\S+) with an overdue test call$"
)
NOT_PUBLISHED = re.compile(r"^(?P<pad>\s*)not published \((?P<samples>[^ ]+) samples\)$")


def french_day(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def french(text: str) -> str:
    """One text of a plot in French (the jurisdiction code, numbers and ``<5`` unchanged)."""
    if found := TITLE.match(text):
        what = french(found["what"])
        return f"{what} — {found['where']}, du {french_day(found['start'])} au {french_day(found['end'])}"
    if found := TOTAL.match(text):
        return f"{french(found['what'])} (total {found['total']})"
    if found := DEVICES_NOW.match(text):
        return (f"téléphones aujourd'hui : {found['stock']} en stock, {found['assigned']} attribués, "
                f"{found['overdue']} avec un appel test en retard")  # fmt: skip
    if found := NOT_PUBLISHED.match(text):
        return f"{found['pad']}non publié ({found['samples']} alertes)"
    return FRENCH.get(text, text)


def in_french(fig: Figure) -> Figure:
    """Translate every text of a drawn figure (titles, axis labels, notes, legend, and the
    named ticks, whose texts are set again from their formatter when drawn)."""
    for text in fig.findobj(Text):
        text.set_text(french(text.get_text()))
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            named = axis.get_major_formatter()  # set_ticks(..., labels) makes one of these
            if isinstance(named, (FixedFormatter, FuncFormatter)):
                axis.set_major_formatter(FuncFormatter(translated(named)))
    return fig


def translated(named: Formatter):
    return lambda value, position=None: french(str(named(value, position)))

"""The parquet's statistics screen, pure: the answer of ``/v1/court-statistics`` as rows
of (section, figure, the court's value, the department's total), with French labels."""

from __future__ import annotations

from typing import Any

from tgd_console.labels import ALERT_OUTCOME, REFERRER_KIND, WITHDRAWAL_REASON, label

BAD_DATE = "Période invalide : dates au format AAAA-MM-JJ, la première avant la seconde."
INTERVENTION = {
    "on_site": "Patrouille sur place",
    "author_arrested": "Auteur interpellé",
    "author_gone": "Auteur parti avant l'arrivée",
    "no_one_found": "Personne sur place",
    "false_alarm": "Fausse alerte",
    "other": "Autre",
    "none": "Pas de compte rendu",
}
NATURE = {**ALERT_OUTCOME, "not_qualified": "Non qualifiée"}
URGENCY = {"urgent": "Urgents", "standard": "Ordinaires"}

#: (section title, key in the answer, [(figure, French label)] or a breakdown)
FIGURES: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("Signalements", "referrals", (("referrals", "Signalements reçus"),)),
    ("Évaluations et décisions", "evaluations", (
        ("evaluations_requested", "Réquisitions envoyées"),
        ("evaluations_completed", "Rapports d'évaluation reçus"),
        ("decisions", "Décisions"),
        ("attributions", "dont attributions"),
        ("refusals", "dont refus"),
        ("renewals", "Renouvellements"),
        ("measures_active", "Mesures en cours (aujourd'hui)"),
        ("measures_ended", "Mesures terminées"),
        ("withdrawals", "dont retraits"),
        ("expiries", "dont arrivées à échéance"),
    )),
    ("Alertes", "alerts", (
        ("alerts", "Alertes déclenchées"),
        ("automatic_dispatches", "Forces alertées automatiquement"),
    )),
    ("Téléphones", "devices", (
        ("in_stock", "En stock (aujourd'hui)"),
        ("assigned", "Attribués (aujourd'hui)"),
        ("overdue_test_calls", "Appels test en retard (aujourd'hui)"),
        ("provisioned", "Mis en service"),
        ("returned", "Restitués"),
    )),
)  # fmt: skip
#: breakdowns shown under their section: (key in the answer, field, label table, prefix)
BREAKDOWNS = (
    ("referrals", "by_urgency", URGENCY, "Signalements"),
    ("referrals", "by_referrer_kind", REFERRER_KIND, "Signalant"),
    ("evaluations", "withdrawals_by_reason", WITHDRAWAL_REASON, "Retrait"),
    ("alerts", "by_nature", NATURE, "Nature"),
    ("alerts", "by_outcome", INTERVENTION, "Issue"),
)


def rows_of(stats: dict[str, Any]) -> list[tuple[str, str, int, int]]:
    """Every figure of the court with the department's total; breakdown cells at 0 in the
    whole department are left out (a closed list has many empty categories)."""
    court, department = stats["court"], stats["department_totals"]
    rows: list[tuple[str, str, int, int]] = []
    for title, key, figures in FIGURES:
        rows += [(title, text, court[key][name], department[key][name]) for name, text in figures]
        for section, field, table, prefix in BREAKDOWNS:
            if section != key:
                continue
            for category, total in department[section][field].items():
                if total:
                    rows.append((title, f"{prefix} : {label(table, category)}", court[section][field][category], total))
    return rows


def hours(seconds: float | None) -> str:
    """A delay for people: ``3 h 20`` or ``—`` when there is no sample."""
    if seconds is None:
        return "—"
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60:02d}" if minutes >= 60 else f"{minutes} min"

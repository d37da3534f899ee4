"""French labels of the console (the operators are French; the code and the API stay
in English). One table per value set of the contracts; an unknown value is shown as is."""

from __future__ import annotations

import re

STATES = {
    "raised": "En attente d'un opérateur",
    "taken": "Prise en charge",
    "dispatched": "Forces alertées",
    "redirected": "Réorientée vers l'association",
    "closed": "Clôturée",
}
OUTCOMES = {
    "danger": "Danger avéré : forces alertées",
    "no_danger": "Pas de danger : réorientation vers l'association",
    "test_call": "Appel test",
    "accidental": "Appui accidentel",
}
RESULTS = {
    "on_site": "Patrouille sur place",
    "author_arrested": "Auteur interpellé",
    "author_gone": "Auteur parti avant l'arrivée",
    "no_one_found": "Personne trouvée sur place : aucune",
    "false_alarm": "Fausse alerte",
    "other": "Autre",
}
FLAGS = {
    "unknown_device": "Téléphone inconnu",
    "inactive_device": "Téléphone non activé",
    "returned_device": "Téléphone restitué (mesure terminée)",
}
AUDIENCES = {
    "police": "Police",
    "gendarmerie": "Gendarmerie",
    "association": "Association",
    "command": "Commandement",
}
DELIVERY_KINDS = {"dispatch": "Envoi", "escalation": "Escalade", "press": "Nouvel appui transmis"}
ANSWERS = {"yes": "Oui", "no": "Non", "no-answer": "Pas de réponse", "unknown": "Ne sait pas"}
NO_CONTACT_BASES = {
    "protection_order": "Ordonnance de protection",
    "alternative_to_prosecution": "Alternative aux poursuites",
    "composition_penale": "Composition pénale",
    "judicial_supervision": "Contrôle judiciaire",
    "electronic_house_arrest": "Assignation à résidence sous surveillance électronique",
    "conviction": "Condamnation",
    "sentence_adjustment": "Aménagement de peine",
    "safety_measure": "Mesure de sûreté",
}
JOURNAL_KINDS = {
    "raised": "Alerte reçue",
    "press-joined": "Nouvel appui",
    "reopened": "Rouverte : nouvel appui après « pas de danger »",
    "press-forwarded": "Nouvel appui transmis aux forces alertées",
    "position": "Position reçue",
    "positions-purged": "Positions effacées (durée de conservation)",
    "taken": "Prise en charge",
    "answer": "Réponse",
    "conversation": "Propos",
    "qualified": "Qualification",
    "closed": "Clôture",
    "failsafe": "Sécurité : envoi automatique",
    "repeat": "Relance",
    "redirect-unrouted": "Réorientation impossible (juridiction inconnue)",
    "acknowledged": "Accusé de réception",
    "acknowledgement-unmatched": "Accusé de réception non rapproché",
    "outcome": "Compte rendu d'intervention",
    "dispatch": "Envoi",
    "escalation": "Escalade",
    "located": "Acheminement",
    "no-centre-there": "Aucun centre connu sur place : centre du domicile",
    "position-not-kept": "Position non conservée (pas de consentement)",
    "positions-forgotten": "Positions effacées (pas de consentement)",
}
STEPS = {
    "centre": "centre opérationnel",
    "backup": "centre de secours",
    "competent": "unité du domicile",
    "other_force": "autre force",
    "command": "commandement",
    "association": "association",
}
ZONES = {"police": "police", "gendarmerie": "gendarmerie", "?": "inconnue"}
POSITION_STATUSES = {
    "usable": "position utilisée",
    "no_consent": "pas de consentement à la géolocalisation",
    "consent_unknown": "consentement inconnu",
    "no_fix": "pas de position",
    "stale": "position trop ancienne",
    "inaccurate": "position trop imprécise",
    "outside": "position hors de France",
}
REMINDER_KINDS = {
    "out_of_stock": "Rupture de stock : plus aucun téléphone disponible dans ce ressort",
}
# the reminders' panel: never mistaken for the alerts' (which are not concerned)
REMINDERS_UNAVAILABLE = (
    "Rappels indisponibles pour l'instant (service des rappels injoignable) : les alertes ne sont pas concernées."
)
ERRORS = {
    "alert_not_found": "Alerte introuvable.",
    "alert_state_conflict": "Action impossible dans l'état actuel de l'alerte (déjà prise, qualifiée ou clôturée ?).",
    "unknown_question": "Question inconnue.",
    "invalid_request": "Demande invalide.",
    "service_unavailable": "Service d'alerte indisponible : réessayez, et passez à la procédure de secours.",
    "service_timeout": "Service d'alerte trop lent : réessayez, et passez à la procédure de secours.",
    "rate_limited": "Trop de demandes : patientez une seconde.",
    "forbidden": "Accès refusé.",
    "unauthenticated": "Session expirée : reconnectez-vous.",
}


def label(table: dict[str, str], value: object) -> str:
    return table.get(str(value), str(value)) if value is not None else ""


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
        return f"{text} : {label(ANSWERS, value)}"
    if kind in ("dispatch", "escalation") and ": " in detail:
        step, recipient = detail.split(": ", 1)
        return f"{label(STEPS, step)} ({recipient})"
    if kind == "acknowledged":
        return label(STEPS, detail)
    if kind == "qualified":
        outcome, _, rest = detail.partition(" ")
        suggested = rest.removeprefix("(script suggested ").removesuffix(")") if rest else ""
        return label(OUTCOMES, outcome) + (f" (la trame suggérait : {label(OUTCOMES, suggested)})" if suggested else "")
    if kind in ("closed", "outcome"):
        return label(RESULTS, detail)
    if kind == "repeat" and ": attempt " in detail:
        step, attempt = detail.split(": attempt ", 1)
        return f"{label(STEPS, step)}, envoi n° {attempt}"
    if kind == "located":
        found = re.fullmatch(r"(\w+) \((\w+)\): (\S+) zone of (\S+)", detail)
        if found:
            basis, status, zone, department = found.groups()
            by = {"position": "selon sa position", "home": "selon son domicile"}.get(basis, "sans lieu connu")
            return f"{by}, zone {label(ZONES, zone)} du {department} ({label(POSITION_STATUSES, status)})"
    if kind == "failsafe":
        found = re.fullmatch(r"no operator within ([\d.]+)s", detail)
        if found:
            return f"aucun opérateur en {found.group(1)} s"
        found = re.fullmatch(r"not qualified within ([\d.]+)s of being taken", detail)
        if found:
            return f"pas de décision {found.group(1)} s après la prise en charge"
    return detail

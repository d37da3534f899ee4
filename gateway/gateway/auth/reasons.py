"""The access reason (motif d'accès): ``X-Access-Reason: <code>`` or
``<code>:<reference>``, a code from :data:`REASONS` and an optional reference (a case,
ticket or procedure number: 1 to 40 of ``A-Z a-z 0-9 . _ / -``). Never free text: a
free-text reason can hold a name, and the access log keeps it for years."""

from __future__ import annotations

import re

REASONS: dict[str, str] = {
    "suivi": "follow-up of the beneficiary (suivi de la bénéficiaire)",
    "evaluation": "danger evaluation or social inquiry (évaluation du danger, enquête sociale)",
    "decision": "the prosecutor's decision, renewal or withdrawal (décision, renouvellement, retrait)",
    "permanence": "the prosecutor's on-call duty (permanence du parquet)",
    "alerte": "handling an alert (traitement d'une alerte)",
    "intervention": "a patrol or an intervention (intervention des forces)",
    "procedure": "a judicial procedure (procédure judiciaire, poursuites)",
    "terminal": "the device: provisioning, test call, return (terminal)",
    "droit-acces": "a data subject's access request (droit d'accès)",
    "controle": "a control of the processing (contrôle du traitement: parquet, CNIL)",
    "support": "technical support at the partner's request (support technique)",
    "reprise": "a court handed over to another teleassistance operator (reprise des dossiers)",
}
REFERENCE_RE = re.compile(r"^[A-Za-z0-9._/-]{1,40}$")
# What the OpenAPI document declares (parse_reason also accepts the code in capitals and spaces)
REASON_PATTERN = r"^(" + "|".join(REASONS) + r")(:[A-Za-z0-9._/-]{1,40})?$"


def parse_reason(value: str | None) -> tuple[str | None, str | None]:
    """(the normalised ``code[:reference]`` or None when absent, an error message or None)."""
    if value is None or not value.strip():
        return None, None
    code, sep, reference = value.strip().partition(":")
    code = code.strip().lower()
    if code not in REASONS:
        return None, f"X-Access-Reason must start with one of: {', '.join(REASONS)}"
    if sep and not REFERENCE_RE.match(reference.strip()):
        return None, "the reference after ':' is 1 to 40 of A-Z a-z 0-9 . _ / - (a case or ticket number)"
    return (f"{code}:{reference.strip()}" if sep else code), None

"""A dossier with every field of the arrêté filled (the shared fictional example), so
that a test can see which fields a notice carries and which never leave; a measure as
the evaluation service shows it."""

from datetime import UTC, datetime, timedelta

from tgd_contracts.dossier import Dossier
from tgd_contracts.evaluation import MeasureView
from tgd_contracts.examples.dossier import full_dossier


def dossier(insee="03901", attribution_id="att-1", device_id="dev-1"):
    return Dossier.consume(full_dossier(attribution_id, device_id, "tj-moulins", insee))


def measure_view(status="active", association="assoc-fictive-03", starts_at=datetime(2026, 5, 1, 12, 0, tzinfo=UTC)):
    """``evaluation.get_attribution`` of attribution ``att-1`` (court tj-moulins, 6 months)."""
    return MeasureView(
        referral_id="ref-1",
        jurisdiction="tj-moulins",
        status=status,
        attribution_id="att-1",
        evaluations=1,
        risk_level="high",
        consent_given=True,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(days=180),
        renewals=0,
        renewal_cap=1,
        withdrawal_reason=None,
        association=association,
    )

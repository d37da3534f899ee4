"""Production policy for addressees without a key: the message still goes (an alert is
never withheld from a force), an alarm is raised and counted, without content."""

import logging

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from tgd_contracts.alert import PartnerClosure, PartnerPosition
from tgd_contracts.clear_sends import ClearSend, ClearSendAlarm, clear_send, provisioning_refusal
from tgd_contracts.envelope import build_envelope
from tgd_contracts.partner_keys import PartnerKeys

from .test_sealing import NOW, UNIT, dispatch_envelope

KEY = "police.03.csp-fictive.dispatch"
WITH_KEY = PartnerKeys({UNIT: X25519PrivateKey.generate().public_key()})


def test_in_production_a_dossier_in_clear_to_an_addressee_without_a_key_is_an_alarm():
    assert clear_send(PartnerKeys(), dispatch_envelope(), KEY, "production") == ClearSend(UNIT, "partner_dispatch")


def test_no_alarm_when_sealed_when_nothing_personal_or_in_development():
    closure = build_envelope(source_service="alert", event_name="partner_closure", subject="a-1",
                             data=PartnerClosure(alert_id="a-1", closed_at=NOW))  # fmt: skip
    assert clear_send(WITH_KEY, dispatch_envelope(), KEY, "production") is None
    assert clear_send(PartnerKeys(), closure, "police.03.csp-fictive.closure", "production") is None
    assert clear_send(PartnerKeys(), dispatch_envelope(), KEY, "development") is None


def test_a_position_update_in_clear_is_an_alarm_too():
    data = PartnerPosition.consume({
        "alert_id": "a-1", "dispatch_id": "d-1",
        "recipient": {"audience": "police", "territory": "03", "unit": "csp-fictive"},
        "position": {"lat": 46.3401, "lon": 2.6021, "accuracy_m": 25.0, "fixed_at": NOW.isoformat()},
        "position_status": "usable",
    })  # fmt: skip
    envelope = build_envelope(source_service="alert", event_name="partner_position", subject="a-1", data=data)
    found = clear_send(PartnerKeys(), envelope, "police.03.csp-fictive.position", "production")
    assert found == ClearSend(UNIT, "partner_position")


def test_the_alarm_is_critical_counted_and_names_no_content(caplog):
    alarm = ClearSendAlarm("production")
    with caplog.at_level(logging.CRITICAL):
        for _ in range(2):
            alarm.check(PartnerKeys(), dispatch_envelope(), KEY)
        alarm.check(WITH_KEY, dispatch_envelope(), KEY)
    assert alarm.counts[ClearSend(UNIT, "partner_dispatch")] == 2
    assert alarm.total == 2
    lines = [r.getMessage() for r in caplog.records if r.levelno == logging.CRITICAL]
    assert len(lines) == 2
    assert "addressee=police.03.csp-fictive type=partner_dispatch count=2" in lines[1]
    for fake in ("EXEMPLE", "AUTEUR-FICTIF", "46.3401"):
        assert fake not in caplog.text


def test_production_provisions_a_partner_only_with_its_public_key():
    assert "--public-key" in provisioning_refusal("production", None)
    assert provisioning_refusal("production", "  ") is not None
    assert provisioning_refusal("production", "a-key") is None
    assert provisioning_refusal("development", None) is None

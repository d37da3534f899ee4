"""Retention rules of the alert service (arrêté du 22 avril 2015, seed 002 §E.II.c):
positions 72 h after the alert, 192 h (8 days) on the prosecutor's authorisation given
within the 72 h; dossier copies 72 h; records anonymised after their legal basis."""

from datetime import timedelta

import pytest
from pydantic import ValidationError

from alert import domain
from alert.domain import retention
from alert.exceptions import RetentionOver
from tgd_contracts.retention import PositionRetentionAuthorisation
from tgd_servicekit.durations import Period

from .fixtures import T0, new_alert, position

HOUR = timedelta(hours=1)
JUST = timedelta(seconds=1)
KEEP = Period(months=3)
GRANT = PositionRetentionAuthorisation(authorised_by="Parquet de Moulins (fictif)", client_id="parquet-moulins")
DOSSIER = {
    "attribution_id": "att-0001",
    "device_id": "dev-0001",
    "jurisdiction": "tj-montlucon",
    "beneficiary": {
        "identity": {"surname": "EXEMPLE", "first_names": ["Fictive"]},
        "disability_or_speech_difficulty": False,
        "home": {"street": "1 rue Fictive", "postcode": "03100", "city": "Montluçon", "insee_code": "03185"},
        "geolocation_consent": True,
    },
    "author": {
        "identity": {"surname": "AUTEUR", "first_names": ["Fictif"]},
        "no_contact_order": {"basis": "judicial_supervision", "starts_on": "2026-01-01"},
    },
}


def with_dossier():
    return new_alert(dossier=DOSSIER)


def test_positions_are_kept_until_72_hours_after_the_alert_and_purged_at_72_hours():
    alert = with_dossier()
    assert not retention.purge(alert, T0 + 72 * HOUR - JUST, KEEP).anything
    assert alert.positions
    assert alert.device.dossier is not None
    purged = retention.purge(alert, T0 + 72 * HOUR, KEEP)
    assert (purged.positions, purged.copies, purged.anonymised) == (1, True, False)
    assert alert.positions == []
    assert alert.device.dossier is None
    assert alert.journal[-1].kind == "positions-purged"


def test_open_or_closed_the_72_hours_run_from_the_alert_not_from_its_closure():
    alert = with_dossier()
    domain.close(alert, actor="op", result=None, now=T0 + 70 * HOUR)
    assert retention.positions_purge_at(alert) == T0 + 72 * HOUR
    assert retention.purge(alert, T0 + 72 * HOUR, KEEP).positions == 1


def test_an_authorised_alert_keeps_its_positions_until_192_hours_but_not_the_dossier_copy():
    alert = with_dossier()
    assert retention.authorise_positions(alert, GRANT, T0 + 71 * HOUR)
    assert retention.purge(alert, T0 + 72 * HOUR, KEEP).copies  # the copy goes at 72 h all the same
    assert alert.positions
    assert alert.device.dossier is None
    assert retention.next_purge_at(alert) == T0 + 192 * HOUR
    assert not retention.purge(alert, T0 + 192 * HOUR - JUST, KEEP).anything
    assert retention.purge(alert, T0 + 192 * HOUR, KEEP).positions == 1
    assert retention.next_purge_at(alert) is None


def test_the_authorisation_records_who_and_when_and_a_second_one_keeps_the_first():
    alert = with_dossier()
    retention.authorise_positions(alert, GRANT, T0 + HOUR)
    other = PositionRetentionAuthorisation(authorised_by="Autre parquet", client_id="parquet-x")
    assert not retention.authorise_positions(alert, other, T0 + 2 * HOUR)
    view = retention.retention_view(alert)
    assert (view.extended, view.authorised_by, view.client_id) == (True, GRANT.authorised_by, "parquet-moulins")
    assert (view.authorised_at, view.positions_purge_at) == (T0 + HOUR, T0 + 192 * HOUR)
    assert alert.journal[-1].kind == "position-retention-authorised"
    assert alert.journal[-1].actor == "parquet-moulins"


def test_an_authorisation_after_the_72_hours_is_refused_even_before_the_purge_ran():
    alert = with_dossier()
    with pytest.raises(RetentionOver):
        retention.authorise_positions(alert, GRANT, T0 + 72 * HOUR)
    assert alert.position_retention is None
    retention.purge(alert, T0 + 80 * HOUR, KEEP)
    with pytest.raises(RetentionOver):  # nothing can bring purged positions back
        retention.authorise_positions(alert, GRANT, T0 + 81 * HOUR)
    assert alert.positions == []


def test_a_position_recorded_after_the_purge_is_due_at_once():
    alert = with_dossier()
    retention.purge(alert, T0 + 72 * HOUR, KEEP)
    # the dossier copy (so her consent) is gone with the purge: a later position is not kept
    assert not domain.add_position(alert, position(T0 + 73 * HOUR), T0 + 73 * HOUR)
    assert alert.positions == []
    alert.device.dossier = DOSSIER  # fetched again (device.get_dossier)
    assert domain.add_position(alert, position(T0 + 73 * HOUR), T0 + 73 * HOUR)
    assert retention.next_purge_at(alert) == T0 + 72 * HOUR
    assert retention.purge(alert, T0 + 73 * HOUR, KEEP).positions == 1


def test_purging_twice_purges_nothing_more():
    alert = with_dossier()
    domain.close(alert, actor="op", result=None, now=T0 + HOUR)
    retention.end_basis(alert, T0 + 2 * HOUR)
    late = T0 + timedelta(days=400)
    first = retention.purge(alert, late, KEEP)
    assert first.positions == 1
    assert first.copies
    assert first.anonymised
    assert not retention.purge(alert, late, KEEP).anything
    assert retention.next_purge_at(alert) is None
    assert retention.basis_ended_at(alert) is None


def test_the_record_lasts_with_its_attribution_then_is_anonymised_after_the_retention():
    alert = with_dossier()
    domain.take(alert, "op-1", T0)
    alert.note(T0, "op-1", "conversation", "Propos fictifs")
    domain.close(alert, actor="op-1", result=None, now=T0 + HOUR)
    assert retention.record_purge_at(alert, KEEP) is None  # the attribution lasts
    ended = T0 + timedelta(days=30)
    assert retention.end_basis(alert, ended)
    assert not retention.end_basis(alert, ended + HOUR)  # a replayed event changes nothing
    due = KEEP.after(ended)
    assert not retention.purge(alert, due - JUST, KEEP).anonymised
    assert retention.purge(alert, due, KEEP).anonymised
    kept = alert.model_dump(mode="json")
    assert kept["device"]["device_id"] == retention.ANONYMOUS
    assert kept["device"]["jurisdiction"] == "tj-montlucon"
    assert kept["raised_at"]
    assert kept["closed_at"]
    assert len(kept["presses"]) == 1
    assert [e["kind"] for e in kept["journal"]] == ["anonymised"]
    text = str(kept)
    for identifying in ("op-1", "Propos fictifs", "dev-0001", "att-0001", "p-1", "EXEMPLE"):
        assert identifying not in text


def test_an_alert_with_no_attribution_is_anonymised_after_the_retention_from_its_raising():
    alert = new_alert(known=False, active=False, attribution_id=None)
    domain.close(alert, actor="op", result=None, now=T0 + HOUR)
    assert retention.record_purge_at(alert, KEEP) == KEEP.after(T0)


def test_an_open_alert_is_never_anonymised():
    alert = new_alert(attribution_id=None)
    assert not retention.purge(alert, T0 + timedelta(days=400), KEEP).anonymised


def test_the_dossier_copy_holds_the_arretes_fields_and_nothing_else():
    with pytest.raises(ValidationError, match="extra"):
        new_alert(dossier={**DOSSIER, "notes": "anything else"})
    with pytest.raises(ValidationError, match="extra"):
        new_alert(dossier={**DOSSIER, "beneficiary": {**DOSSIER["beneficiary"], "religion": "x"}})
    assert with_dossier().device.dossier["beneficiary"]["identity"]["surname"] == "EXEMPLE"


def test_a_run_counts_and_its_summary_has_counts_only():
    run = retention.RetentionRun()
    run.add(retention.Purged(positions=2, copies=True))
    run.add(retention.Purged(anonymised=True))
    run.add(retention.Purged())
    assert run.alerts == 2
    assert run.summary() == "positions_purged=2 dossier_copies_purged=1 alerts_anonymised=1 devices_wiped=0"

"""Pure parts of the console: order of the open alerts, marks, answers given, French
journal lines."""

from __future__ import annotations

from tgd_console.operator import labels, view


def summary(alert_id: str, state: str, raised_at: str, **extra) -> dict:
    return {"alert_id": alert_id, "state": state, "raised_at": raised_at, "flags": [], "presses": 1, **extra}


def test_waiting_alerts_come_first_then_newest_first_within_the_same_urgency():
    items = [
        summary("old-raised", "raised", "2026-06-01T22:00:00Z"),
        summary("dispatched-acked", "dispatched", "2026-06-01T22:09:00Z", acknowledged=True),
        summary("dispatched-silent", "dispatched", "2026-06-01T22:08:00Z", acknowledged=False),
        summary("taken", "taken", "2026-06-01T22:07:00Z"),
        summary("new-raised", "raised", "2026-06-01T22:05:00Z"),
        summary("redirected", "redirected", "2026-06-01T22:10:00Z"),
        summary("unknown-device", "raised", "2026-06-01T21:00:00Z", flags=["unknown_device"]),
        summary("pressed-twice", "raised", "2026-06-01T21:30:00Z", presses=2),
    ]
    order = [i["alert_id"] for i in view.order_open_alerts(items)]
    assert order == [
        "unknown-device",
        "pressed-twice",
        "new-raised",
        "old-raised",
        "taken",
        "dispatched-silent",
        "dispatched-acked",
        "redirected",
    ]


def test_reopened_incidents_come_first_even_before_alerts_waiting_longer():
    items = [
        summary("unknown-device", "raised", "2026-06-01T21:00:00Z", flags=["unknown_device"], presses=3),
        summary("reopened-taken", "taken", "2026-06-01T22:00:00Z", presses=2, reopened=True),
        summary("raised", "raised", "2026-06-01T22:05:00Z"),
        summary("reopened", "raised", "2026-06-01T20:00:00Z", presses=2, reopened=True),
    ]
    order = [i["alert_id"] for i in view.order_open_alerts(items)]
    assert order == ["reopened", "reopened-taken", "unknown-device", "raised"]


def test_marks_failsafe_escalation_repeats_and_silent_recipients():
    quiet = view.marks({"automatic": False, "deliveries": [], "journal": []})
    assert quiet == view.Marks(failsafe=False, escalated=False, repeats=0, unacknowledged=0)
    alert = {
        "automatic": True,
        "deliveries": [
            {"kind": "dispatch", "attempts": 3, "acknowledged_at": None},
            {"kind": "escalation", "attempts": 1, "acknowledged_at": "2026-06-01T22:05:00Z"},
        ],
        "journal": [],
    }
    assert view.marks(alert) == view.Marks(failsafe=True, escalated=True, repeats=2, unacknowledged=1)
    by_journal = {"automatic": False, "deliveries": [], "journal": [{"kind": "failsafe", "detail": "x"}]}
    assert view.marks(by_journal).failsafe


def test_the_last_answer_to_a_question_wins_and_other_entries_are_ignored():
    journal = [
        {"kind": "answer", "detail": "can-talk=yes"},
        {"kind": "conversation", "detail": "a=b"},
        {"kind": "answer", "detail": "can-talk=no"},
        {"kind": "answer", "detail": None},
    ]
    assert view.given_answers({"journal": journal}) == {"can-talk": "no"}


def test_latest_position_and_actions_by_state():
    positions = [
        {"lat": 1.0, "lon": 1.0, "accuracy_m": 50, "fixed_at": "2026-06-01T22:00:10Z"},
        {"lat": 2.0, "lon": 2.0, "accuracy_m": 10, "fixed_at": "2026-06-01T22:00:30Z"},
    ]
    assert view.latest_position({"positions": positions})["lat"] == 2.0
    assert view.latest_position({"positions": []}) is None
    assert view.actions_for("raised") == ["take", "answer", "dispatch", "redirect", "test_call", "accidental", "close"]
    assert view.actions_for("taken") == ["answer", "dispatch", "redirect", "test_call", "accidental", "close"]
    assert view.actions_for("dispatched") == ["close"]
    assert view.actions_for("closed") == []


def test_times_are_shown_in_french_time_and_dates_in_french_order():
    assert view.paris_time("2026-06-01T22:00:00Z") == "02/06 00:00:00"  # summer time, UTC+2
    assert view.paris_clock("2026-01-15T08:30:05Z") == "09:30:05"  # winter time, UTC+1
    assert view.french_date("2026-01-31") == "31/01/2026"


def test_journal_details_in_french():
    assert labels.journal_detail("answer", "can-talk=no-answer") == "can-talk : Pas de réponse"
    questions = {"can-talk": "Pouvez-vous parler ? / Can you talk?"}
    assert labels.journal_detail("answer", "can-talk=no", questions) == "Pouvez-vous parler ? : Non"
    assert labels.journal_detail("answer", "other=yes", questions) == "other : Oui"  # not in the script: its id
    assert labels.journal_detail("dispatch", "competent: police.03.csp-x") == "unité du domicile (police.03.csp-x)"
    assert labels.journal_detail("qualified", "no_danger (script suggested danger)") == (
        "Pas de danger : réorientation vers l'association (la trame suggérait : Danger avéré : forces alertées)"
    )
    assert labels.journal_detail("closed", "author_arrested") == "Auteur interpellé"
    assert labels.journal_detail("failsafe", "no operator within 60s") == "aucun opérateur en 60 s"
    assert labels.journal_detail("failsafe", "not qualified within 300s of being taken") == (
        "pas de décision 300 s après la prise en charge"
    )
    assert labels.journal_detail("repeat", "competent: attempt 2") == "unité du domicile, envoi n° 2"
    assert labels.journal_detail("failsafe", "something new") == "something new"
    assert labels.label(labels.ALERT_STATE, "unheard-of") == "unheard-of"
    assert labels.french_question("Pouvez-vous parler ? / Can you talk?") == "Pouvez-vous parler ?"


def test_the_instruction_to_telephone_appears_for_a_silent_centre_of_the_ladder_only():
    centre = {"step": "centre", "attempts": 1, "kind": "dispatch", "name": "CIC X", "phone": "01 99 00 03 17"}
    assert view.escalation_steps({"deliveries": [centre]})[0].instruction is None  # just sent: not yet silent
    repeated = {**centre, "attempts": 2}
    instruction = view.escalation_steps({"deliveries": [repeated]})[0].instruction
    assert "TÉLÉPHONER MAINTENANT au CIC X — 01 99 00 03 17" in instruction
    assert view.escalation_steps({"deliveries": [{**repeated, "acknowledged_at": "x"}]})[0].instruction is None
    follow_up = {**repeated, "step": "association"}
    assert view.escalation_steps({"deliveries": [follow_up]})[0].instruction is None
    unrouted = {"step": "command", "kind": "dispatch", "attempts": 3, "recipient": {"audience": "command"}}
    assert "17" in view.escalation_steps({"deliveries": [unrouted]})[0].instruction


def test_where_the_alert_was_routed_reads_in_french():
    by_position = {"basis": "position", "position_status": "usable", "department": "63", "zone": "police",
                   "commune": "Clermont-Ferrand"}  # fmt: skip
    assert view.routed_to({"located": by_position}).startswith("Acheminée selon sa position : Clermont-Ferrand (63)")
    by_home = {"basis": "home", "position_status": "stale", "department": "03", "zone": "gendarmerie"}
    assert "trop ancienne" in view.routed_to({"located": by_home})
    assert view.routed_to({}) is None


def test_the_routing_line_of_the_journal_reads_in_french():
    detail = labels.journal_detail("located", "home (no_consent): police zone of 03")
    assert detail == "selon son domicile, zone police du 03 (pas de consentement à la géolocalisation)"
    assert labels.journal_detail("located", "position (usable): gendarmerie zone of 63").startswith("selon sa position")

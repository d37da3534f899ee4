"""The referral's orientation, the safe contact and the eligibility facts on the partners'
screens: what each screen shows (in French) and what its forms send to the API."""

from __future__ import annotations

from .conftest import csrf_of, log_in

REFERRAL = "0" * 32
FACTS = {"relationship": "former_cohabitant", "separated": True, "separated_on": "2025-11-02", "danger": "rape"}


def with_status(services, status, decision=None, eligibility=None):
    original = services.measure_record

    def record(referral_id):
        found = original(referral_id)
        found["measure"]["status"] = status
        return {**found, "decision": decision, "decided_at": "2026-01-05T10:00:00Z" if decision else None,
                "eligibility": eligibility}  # fmt: skip

    services.handlers[("evaluation", "measure_record")] = record


def test_the_association_sees_how_to_reach_her_and_records_an_orientation(world):
    client, services, people = world
    log_in(client, people, "a.exemple")
    page = client.get(f"/association/referrals/{REFERRAL}")
    assert "Joindre la victime sans danger" in page.text
    assert "+33 6 00 00 00 00" in page.text
    assert "Non : ne pas laisser de message" in page.text
    assert "Service social fictif" in page.text
    assert "Aucune orientation enregistrée." in page.text
    assert "Demande d&#39;ordonnance de protection" in page.text  # the vocabulary, in French
    form = {"csrf": csrf_of(page.text), "kind": "protection_order", "on": "2026-01-05", "recorded_by": "Intervenante"}
    response = client.post(f"/association/referrals/{REFERRAL}/orientations", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].endswith("?fait=orientation")
    (sent,) = [kw for s, m, kw in services.calls if m == "record_orientation"]
    assert sent["entry"] == {"kind": "protection_order", "on": "2026-01-05", "recorded_by": "Intervenante"}
    assert sent["recorded_as"] == "association"


def test_the_association_updates_the_safe_contact_and_a_bad_number_is_refused_in_french(world):
    client, services, people = world
    log_in(client, people, "a.exemple")
    csrf = csrf_of(client.get(f"/association/referrals/{REFERRAL}").text)
    form = {"csrf": csrf, "phone": "06 00 00 00 07", "safe_times": "le soir", "message_allowed": "yes"}
    response = client.post(f"/association/referrals/{REFERRAL}/contact-details", data=form, follow_redirects=False)
    assert response.status_code == 303
    (sent,) = [kw["contact_details"] for s, m, kw in services.calls if m == "set_contact_details"]
    safe = {"phone": "06 00 00 00 07", "safe_times": "le soir", "message_allowed": True}
    assert sent == {"safe_contact": safe, "referrer_contact": None}  # left out: kept as it was
    bad = client.post(f"/association/referrals/{REFERRAL}/contact-details", data={**form, "phone": "appelez-moi"})
    assert bad.status_code == 422
    assert "Formulaire incomplet ou invalide" in bad.text
    assert [m for _, m, _ in services.calls].count("set_contact_details") == 1


def test_the_parquet_s_decision_form_sends_the_eligibility_facts(world):
    client, services, people = world
    with_status(services, "evaluated")
    log_in(client, people, "m.exemple")
    page = client.get(f"/parquet/referrals/{REFERRAL}")
    assert "Faits d'éligibilité" in page.text
    assert "Ancien partenaire de PACS" in page.text
    form = {"csrf": csrf_of(page.text), "granted": "yes", "author_incarcerated": "no", "reasons": "Motifs fictifs.",
            "decided_by": "Parquet fictif", **{k: ("yes" if v is True else v) for k, v in FACTS.items()}}  # fmt: skip
    response = client.post(f"/parquet/referrals/{REFERRAL}/decision", data=form, follow_redirects=False)
    assert response.status_code == 303
    (sent,) = [kw["decision"] for s, m, kw in services.calls if m == "decide"]
    assert sent["eligibility"] == FACTS


def test_the_parquet_reads_the_recorded_facts_and_why_they_were_not_eligible(world):
    client, services, people = world
    decision = {"granted": False, "reasons": "Motifs fictifs.", "author_incarcerated": False, "duration_months": None,
                "decided_by": "Parquet fictif", "eligibility": {**FACTS, "danger": "conjugal_violence",
                                                                "relationship": "none"}}  # fmt: skip
    with_status(services, "refused", decision, {"eligible": False, "reasons": ["not_a_partner"]})
    log_in(client, people, "m.exemple")
    page = client.get(f"/parquet/referrals/{REFERRAL}")
    assert page.status_code == 200
    assert "Lien avec l'auteur : Aucun de ces liens" in page.text
    assert "nature du danger : Violences conjugales" in page.text
    assert "Non remplies" in page.text
    assert "ni (ex-)conjoint" in page.text
    assert "Orientation du signalement" in page.text  # the parquet reads the orientations too


def test_the_parquet_records_an_orientation_as_the_parquet(world):
    client, services, people = world
    log_in(client, people, "m.exemple")
    csrf = csrf_of(client.get(f"/parquet/referrals/{REFERRAL}").text)
    form = {"csrf": csrf, "kind": "evaluation", "on": "2026-01-06", "recorded_by": "Parquet fictif"}
    response = client.post(f"/parquet/referrals/{REFERRAL}/orientations", data=form, follow_redirects=False)
    assert response.status_code == 303
    (sent,) = [kw for s, m, kw in services.calls if m == "record_orientation"]
    assert sent["recorded_as"] == "parquet"
    assert sent["entry"]["kind"] == "evaluation"
    bad = client.post(f"/parquet/referrals/{REFERRAL}/orientations", data={**form, "kind": "telepathy"})
    assert bad.status_code == 422
    assert "Formulaire incomplet ou invalide" in bad.text

"""The device screens: the parquet's stock (transfer within the department, retirement),
the replacement of her phone from the dossier, the association's hand-over form; French
labels, what reaches the device service, refusals shown in French."""

from __future__ import annotations

from tgd_contracts.errors import ErrorCode, TgdError

from .conftest import csrf_of, log_in

REFERRAL = "0" * 32
DEVICE = "0" * 32  # the fake stock's first terminal


def sent(services, method):
    return [kw for _, m, kw in services.calls if m == method]


def test_the_stock_offers_a_transfer_to_the_other_courts_of_the_department_only(world):
    client, services, people = world
    log_in(client, people, "m.exemple")
    page = client.get("/parquet/stock")
    assert "Transférer vers" in page.text
    assert "Retirer du parc" in page.text
    assert "Tribunal judiciaire de Montluçon" in page.text
    assert "Tribunal judiciaire de Cusset" in page.text
    assert "Nanterre" not in page.text  # another department
    form = {"csrf": csrf_of(page.text), "to_jurisdiction": "tj-montlucon", "by": "Greffe fictif"}
    response = client.post(f"/parquet/stock/{DEVICE}/transfer", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert sent(services, "transfer_device") == [
        {"device_id": DEVICE, "transfer": {"to_jurisdiction": "tj-montlucon", "requested_by": "Greffe fictif"}}
    ]


def test_a_refused_transfer_is_shown_in_french_on_the_stock(world):
    client, services, people = world

    def refuse(device_id, transfer):
        raise TgdError(code=ErrorCode.COURT_OUTSIDE_DEPARTMENT)

    services.handlers[("device", "transfer_device")] = refuse
    log_in(client, people, "m.exemple")
    form = {"csrf": csrf_of(client.get("/parquet/stock").text), "to_jurisdiction": "tj-nanterre", "by": "Greffe"}
    response = client.post(f"/parquet/stock/{DEVICE}/transfer", data=form)
    assert response.status_code == 409
    assert "qu'entre tribunaux du même département" in response.text


def test_a_terminal_is_retired_with_its_reason(world):
    client, services, people = world
    log_in(client, people, "m.exemple")
    form = {
        "csrf": csrf_of(client.get("/parquet/stock").text),
        "reason": "returned_to_supplier",
        "note": "Bon de retour fictif 12",
        "by": "Greffe fictif",
    }
    assert client.post(f"/parquet/stock/{DEVICE}/retirement", data=form, follow_redirects=False).status_code == 303
    (call,) = sent(services, "retire_device")
    assert call["retirement"] == {
        "reason": "returned_to_supplier",
        "retired_by": "Greffe fictif",
        "note": "Bon de retour fictif 12",
    }


def test_the_parquet_replaces_her_phone_and_out_of_stock_is_said_in_french(world):
    client, services, people = world
    log_in(client, people, "m.exemple")
    csrf = csrf_of(client.get(f"/parquet/referrals/{REFERRAL}").text)
    form = {"csrf": csrf, "attribution_id": "a" * 32, "reason": "lost", "by": "Parquet fictif"}
    response = client.post(f"/parquet/referrals/{REFERRAL}/device-replacement", data=form, follow_redirects=False)
    assert response.status_code == 303
    (call,) = sent(services, "replace_device")
    assert call == {
        "attribution_id": "a" * 32,
        "replacement": {"reason": "lost", "reported_by": "Parquet fictif", "note": None},
    }

    def none_left(attribution_id, replacement):
        raise TgdError(code=ErrorCode.OUT_OF_STOCK)

    services.handlers[("device", "replace_device")] = none_left
    refused = client.post(f"/parquet/referrals/{REFERRAL}/device-replacement", data=form)
    assert refused.status_code == 409
    assert "Aucun terminal en stock" in refused.text


def test_the_association_records_the_hand_over_in_paris_time_with_roles(world):
    client, services, people = world
    log_in(client, people, "a.exemple")
    form = {
        "csrf": csrf_of(client.get(f"/association/referrals/{REFERRAL}").text),
        "attribution_id": "a" * 32,
        "handed_over_at": "2026-04-02T11:30",
        "place": "Tribunal judiciaire fictif, bureau du parquet",
        "present": ["beneficiary", "association_worker"],
        "label-association_worker": "Juriste de l'association",
    }
    response = client.post(f"/association/referrals/{REFERRAL}/hand-over", data=form, follow_redirects=False)
    assert response.status_code == 303
    (call,) = sent(services, "record_hand_over")
    assert call["hand_over"] == {
        "handed_over_at": "2026-04-02T11:30:00+02:00",  # summer time in Paris
        "place": "Tribunal judiciaire fictif, bureau du parquet",
        "present": [
            {"role": "beneficiary", "label": None},
            {"role": "association_worker", "label": "Juriste de l'association"},
        ],
    }
    without_association = {**form, "present": ["beneficiary"]}
    refused = client.post(f"/association/referrals/{REFERRAL}/hand-over", data=without_association)
    assert refused.status_code == 422
    assert "Formulaire incomplet ou invalide" in refused.text
    assert len(sent(services, "record_hand_over")) == 1

"""``tgd-dev seed``: fictional demo data through the gateway's routes, each step taken by the
partner whose act it is, authenticated as a registered client (OAuth2 client
credentials), so the seed exercises the real path: referral, requisition, evaluation
report, consent, decision, devices in stock, fiche navette and provisioning, test calls,
renewals, withdrawals, and alerts qualified, dispatched, acknowledged and reported.

Re-running with the same ``--run`` adds nothing: referrals are replayed by their
idempotency keys (a replayed referral's steps are skipped), devices by their IMEI, alert
presses by their press id. Another ``--run`` adds a second batch. The partner clients are
registered once ("Démo fictive — ...") and their secrets rotated on each run.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from tgd_cli.session import GatewayError, RegisteredPartners, raise_alert
from tgd_contracts.jurisdictions import JURISDICTIONS
from tgd_dev.seed_plan import PLAN, REFERRER_KINDS, RESULTS, JurisdictionPlan

PARQUET = "Parquet fictif"
SITUATION = {"family": "Fictive.", "personal": "Fictive.", "professional": "Fictive.", "social": "Fictive."}
CRITERION = {"level": "high", "notes": "Notes fictives."}
REPORT = {
    "victim_situation": SITUATION,
    "author_situation": SITUATION,
    "criteria": {
        "past_violence_gravity": CRITERION,
        "author_profile_and_reoffending_risk": CRITERION,
        "victim_isolation_and_vulnerability": CRITERION,
        "danger_gravity_and_immediacy": CRITERION,
    },
    "risk": {
        "instrument_id": "dash-like",
        "instrument_version": "1",
        "items": [{"item_id": f"q{n:02d}", "answer": "yes"} for n in range(1, 16)],
    },
}


class SeedError(GatewayError):
    """The seed stopped: a step the gateway refused, or a wait that timed out."""


def luhn_digit(partial: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def device_body(run: str, jurisdiction: str, n: int) -> dict[str, Any]:
    """A terminal with a stable IMEI for (run, jurisdiction, n): a second run finds it registered."""
    digest = int(hashlib.sha256(f"{run}/{jurisdiction}/{n}".encode()).hexdigest(), 16)
    partial = f"35{digest % 10**12:012d}"
    return {
        "jurisdiction": jurisdiction,
        "terminal_number": f"06{digest % 10**8:08d}",
        "brand": "Marque Fictive",
        "model": "Démo T1",
        "imei": partial + luhn_digit(partial),
        "imsi": f"20801{digest % 10**10:010d}",
        "gps_chip_id": f"GPS-DEMO-{digest % 10**6:06d}",
    }


def referral_body(plan: JurisdictionPlan, n: int) -> dict[str, Any]:
    return {
        "referrer": {"kind": REFERRER_KINDS[n % len(REFERRER_KINDS)], "organisation": "Organisme Fictif"},
        "victim": {"surname": f"EXEMPLE-{n:03d}", "first_names": ["Fictive"]},
        "facts": "Faits entièrement fictifs, données de démonstration.",
        "urgency": "urgent" if n < plan.urgent else "standard",
        "jurisdiction": plan.jurisdiction,
    }


def fiche_body(plan: JurisdictionPlan, n: int) -> dict[str, Any]:
    insee = plan.homes[n % len(plan.homes)]
    return {
        "beneficiary": {
            "identity": {"surname": f"EXEMPLE-{n:03d}", "first_names": ["Fictive"]},
            "disability_or_speech_difficulty": False,
            "home": {
                "street": "1 Rue Fictive",
                "postcode": insee[:2] + "100",
                "city": "Commune Fictive",
                "insee_code": insee,
            },
            "geolocation_consent": True,
        },
        "author": {
            "identity": {"surname": "AUTEUR-FICTIF", "first_names": ["Personne"]},
            "no_contact_order": {"basis": "protection_order", "starts_on": "2026-01-02"},
        },
    }


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, created: bool) -> None:
        target = self.created if created else self.skipped
        target[what] = target.get(what, 0) + 1


def wait_for(what: str, probe: Callable[[], Any], timeout_s: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout_s
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise SeedError(f"timed out waiting for {what}")
        time.sleep(0.1)


class Seeder:
    def __init__(self, http: httpx.Client, partners: RegisteredPartners, run: str, tick: Callable[[], None]):
        self.http, self.partners, self.run, self.tick = http, partners, run, tick
        self.report = SeedReport()

    def call(self, method: str, path: str, headers: dict[str, str], json: Any = None, ok=(200, 201)) -> httpx.Response:
        response = self.http.request(method, path, headers=headers, json=json)
        if response.status_code not in ok:
            raise SeedError(f"{method} {path}: {response.status_code} {response.text[:300]}")
        return response

    # -- one jurisdiction -------------------------------------------------------------
    def seed(self, plan: JurisdictionPlan) -> None:
        j = plan.jurisdiction
        operator = self.partners.headers("teleassistance", "*")
        for n in range(plan.devices):
            response = self.call("POST", "/v1/devices", operator, device_body(self.run, j, n), ok=(201, 409))
            self.report.add("devices", response.status_code == 201)
            self.tick()
        attributions: list[tuple[int, str, str]] = []  # (n, referral_id, attribution_id)
        for n in range(plan.referrals):
            done = self.referral(plan, n)
            if done is not None:
                attributions.append(done)
            self.tick()
        devices = [self.provision(plan, n, attribution_id) for n, _, attribution_id in attributions]
        for reason, (_, _, attribution_id) in zip(plan.withdrawals, attributions, strict=False):
            self.withdraw(plan, attribution_id, reason)
        renewed = attributions[len(plan.withdrawals) : len(plan.withdrawals) + plan.renewals]
        for _, referral_id, attribution_id in renewed:
            self.renew(plan, referral_id, attribution_id)
        active = devices[len(plan.withdrawals) :]
        if plan.alerts and not active:
            self.tick_many(len(plan.alerts))
            return
        for i, nature in enumerate(plan.alerts):
            self.alert(plan, active[i % len(active)] if active else None, i, nature)

    def tick_many(self, n: int) -> None:
        for _ in range(n):
            self.tick()

    def referral(self, plan: JurisdictionPlan, n: int) -> tuple[int, str, str] | None:
        """Referral -> requisition [-> report -> consent -> decision]; (n, referral, attribution) when granted."""
        j = plan.jurisdiction
        association, parquet = self.partners.headers("association", j), self.partners.headers("prosecutor", j)
        key = {"Idempotency-Key": f"seed-{self.run}-{j}-{n:04d}"}
        response = self.call("POST", "/v1/referrals", {**association, **key}, referral_body(plan, n))
        created = response.status_code == 201  # a replay of the same key answers 200
        referral_id = response.json()["id"]
        self.report.add("referrals", created)
        if not created:
            return None
        requisition = f"/v1/referrals/{referral_id}/requisition"
        wait_for(  # the evaluation service opens the measure from referral_received
            f"the measure of referral {referral_id}",
            lambda: self.http.post(requisition, json={"requested_by": PARQUET}, headers=parquet).status_code == 200,
        )
        if n >= plan.granted + plan.refused:
            return None
        self.call("POST", f"/v1/referrals/{referral_id}/evaluation-report", association, REPORT)
        consent = {"given": True, "collected_by": "Association fictive", "collected_on": "2026-01-05"}
        self.call("POST", f"/v1/referrals/{referral_id}/consent", association, consent)
        facts = {"relationship": "former_spouse", "separated": True, "danger": "conjugal_violence"}
        decision = {"granted": n < plan.granted, "reasons": "Motifs fictifs de démonstration.",
                    "author_incarcerated": False, "decided_by": PARQUET, "eligibility": facts}  # fmt: skip
        measure = self.call("POST", f"/v1/referrals/{referral_id}/decision", parquet, decision).json()
        self.report.add("decisions", True)
        return (n, referral_id, measure["attribution_id"]) if n < plan.granted else None

    def provision(self, plan: JurisdictionPlan, n: int, attribution_id: str) -> str:
        j = plan.jurisdiction
        parquet, operator = self.partners.headers("prosecutor", j), self.partners.headers("teleassistance", "*")
        self.call("POST", f"/v1/attributions/{attribution_id}/fiche-navette", parquet, fiche_body(plan, n))

        def provisioned() -> str | None:
            response = self.http.get(f"/v1/attributions/{attribution_id}/device", headers=parquet)
            body = response.json() if response.status_code == 200 else {}
            return body.get("device_id") if body.get("status") in ("provisioned", "active") else None

        device_id = wait_for(f"a device for attribution {attribution_id}", provisioned)
        for direction in ("operator_to_beneficiary", "beneficiary_to_operator"):
            self.call("POST", f"/v1/devices/{device_id}/test-calls", operator,
                      {"direction": direction, "succeeded": True})  # fmt: skip
        self.inform_forces(plan, attribution_id)
        self.report.add("devices provisioned", True)
        self.tick()
        return device_id

    def inform_forces(self, plan: JurisdictionPlan, attribution_id: str) -> None:
        """Each unit notified of the attribution acknowledges it, as itself (seed 001 action 11);
        the gendarmerie registers the beneficiary in its SIP base."""
        parquet = self.partners.headers("prosecutor", plan.jurisdiction)

        def notices() -> list[dict[str, Any]] | None:
            response = self.http.get(f"/v1/attributions/{attribution_id}/notices", headers=parquet)
            found = response.json().get("notices") if response.status_code == 200 else None
            return found or None

        for notice in wait_for(f"the notices of attribution {attribution_id}", notices):
            if notice["acknowledged_at"]:
                continue
            force = self.partners.headers(notice["audience"], notice["department"], notice["unit_code"])
            ack: dict[str, Any] = {"unit_code": notice["unit_code"], "acknowledged_by": "Officier fictif"}
            if notice["audience"] == "gendarmerie":
                ack["sip_registered"] = True
            self.call("POST", f"/v1/notices/{notice['notice_id']}/acknowledgement", force, ack)

    def withdraw(self, plan: JurisdictionPlan, attribution_id: str, reason: str) -> None:
        body: dict[str, Any] = {"reason": reason, "decided_by": PARQUET}
        if reason == "prosecutor_request":
            body["steering_committee_opinion_on"] = "2026-01-10"
        self.call("POST", f"/v1/attributions/{attribution_id}/withdrawal",
                  self.partners.headers("prosecutor", plan.jurisdiction), body)  # fmt: skip
        self.report.add("withdrawals", True)
        self.tick()

    def renew(self, plan: JurisdictionPlan, referral_id: str, attribution_id: str) -> None:
        j = plan.jurisdiction
        self.call("POST", f"/v1/referrals/{referral_id}/evaluation-report", self.partners.headers("association", j),
                  REPORT)  # fmt: skip
        body = {"renewed": True, "reasons": "Danger toujours actuel (fictif).", "decided_by": PARQUET}
        self.call("POST", f"/v1/attributions/{attribution_id}/renewal", self.partners.headers("prosecutor", j), body)
        self.report.add("renewals", True)
        self.tick()

    def alert(self, plan: JurisdictionPlan, device_id: str | None, i: int, nature: str) -> None:
        """A press with a position; the operator qualifies it; a danger is dispatched,
        acknowledged by the competent force (as itself) and its outcome reported."""
        operator = self.partners.headers("teleassistance", "*")
        wait_for(
            f"the alert service to know device {device_id}",
            lambda: self.http.get(f"/v1/device-alerts/devices/{device_id}", headers=operator).json().get("competent"),
        )
        press = raise_alert(self.http, operator, device_id or "", f"seed-{self.run}-{plan.jurisdiction}-{i:04d}")
        if press["duplicate"]:
            self.report.add("alerts", False)
            self.tick()
            return
        alert_id, who = press["alert_id"], {"operator": "operateur-fictif"}
        self.call("POST", f"/v1/alerts/{alert_id}/take", operator, who)
        view = self.call("POST", f"/v1/alerts/{alert_id}/qualification", operator, {**who, "outcome": nature}).json()
        if nature == "danger":
            delivery = next(d for d in view["deliveries"] if d["recipient"]["audience"] in ("police", "gendarmerie"))
            recipient = delivery["recipient"]
            force = self.partners.headers(recipient["audience"], recipient["territory"], recipient["unit"])
            self.call("POST", f"/v1/alerts/{alert_id}/acknowledgements", force,
                      {"dispatch_id": delivery["dispatch_id"], "recipient": recipient})  # fmt: skip
            report = {"recipient": recipient, "result": RESULTS[plan.alerts[:i].count("danger") % len(RESULTS)]}
            self.call("POST", f"/v1/alerts/{alert_id}/outcome", force, report)
        self.report.add("alerts", True)
        self.tick()


def chosen_plans(jurisdictions: list[str]) -> list[JurisdictionPlan]:
    unknown = [j for j in jurisdictions if j not in JURISDICTIONS]
    if unknown:
        raise SeedError(f"unknown jurisdiction(s): {unknown}")
    return [p for p in PLAN if not jurisdictions or p.jurisdiction in jurisdictions]

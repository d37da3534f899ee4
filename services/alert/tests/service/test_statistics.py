"""AlertService.statistics on a seeded history with known answers."""

from datetime import timedelta

from .test_service import T0, provision, service, trigger  # noqa: F401  (the fixture)

JUNE = {"jurisdiction": "tj-moulins", "starts_on": "2026-06-01", "ends_on": "2026-06-30"}
GENDARMERIE = {"audience": "gendarmerie", "territory": "03", "unit": "bta-moulins"}


def at(service, moment):  # noqa: F811
    service.now.now = moment


def seed(service):  # noqa: F811
    """June in Moulins: 6 danger alerts (n-th taken after 10(n+1) s, dispatched 5(n+1) s
    later, acknowledged 60(n+1) s later; 5 authors arrested, 1 patrol on site), 1 test call
    taken after 5 s, 1 nobody took (failsafe dispatch); 1 alert in July."""
    for n in range(6):
        device_id = f"dev-{n}"
        provision(service, device_id)
        start = T0 + timedelta(hours=n)
        at(service, start)
        alert_id = trigger(service, press_id=f"press-{n}", device_id=device_id, at=start)["alert_id"]
        at(service, start + timedelta(seconds=10 * (n + 1)))
        service.take_alert(alert_id, {"operator": "op-1"})
        at(service, service.now.now + timedelta(seconds=5 * (n + 1)))
        view = service.qualify_alert(alert_id, {"operator": "op-1", "outcome": "danger"})
        at(service, service.now.now + timedelta(seconds=60 * (n + 1)))
        home_unit = next(d for d in view["deliveries"] if d["recipient"] == GENDARMERIE)
        service.acknowledge(alert_id, {"dispatch_id": home_unit["dispatch_id"], "recipient": GENDARMERIE})
        result = "author_arrested" if n < 5 else "on_site"
        service.report_outcome(alert_id, {"recipient": GENDARMERIE, "result": result})
    provision(service, "dev-test")
    start = T0 + timedelta(days=1)
    at(service, start)
    alert_id = trigger(service, press_id="press-test", device_id="dev-test", at=start)["alert_id"]
    at(service, start + timedelta(seconds=5))
    service.take_alert(alert_id, {"operator": "op-2"})
    service.qualify_alert(alert_id, {"operator": "op-2", "outcome": "test_call"})
    provision(service, "dev-alone")
    start = T0 + timedelta(days=2)
    at(service, start)
    trigger(service, press_id="press-alone", device_id="dev-alone", at=start)
    at(service, start + timedelta(seconds=31))
    service.check_deadlines()  # the failsafe dispatches it
    july = T0 + timedelta(days=40)
    at(service, july)
    trigger(service, press_id="press-july", device_id="dev-0", at=july)


def test_alerts_by_nature_and_outcome_with_small_cells_suppressed(service):  # noqa: F811
    seed(service)
    stats = service.statistics(JUNE)
    assert stats["alerts"] == {"value": 8, "suppressed": False}
    nature = {k: v["value"] for k, v in stats["by_nature"].items()}
    assert nature == {"danger": 6, "no_danger": 0, "test_call": None, "accidental": 0, "not_qualified": None}
    outcome = {k: v["value"] for k, v in stats["by_outcome"].items() if v["value"] != 0}
    assert outcome == {"author_arrested": 5, "on_site": None, "none": None}
    assert stats["automatic_dispatches"]["suppressed"] is True
    assert "dev-" not in str(stats)
    assert "op-1" not in str(stats)


def test_the_delay_of_each_step(service):  # noqa: F811
    seed(service)
    stats = service.statistics(JUNE)
    # taken after 5, 10, 20, ..., 60 s: nearest rank p50 = 4th of 7, p90 = 7th
    assert stats["trigger_to_taken"] == {"samples": {"value": 7, "suppressed": False},
                                         "p50_s": 30.0, "p90_s": 60.0, "max_s": 60.0}  # fmt: skip
    # the failsafe dispatch is not an operator's delay: 6 samples of 5..30 s
    assert stats["taken_to_dispatched"]["samples"]["value"] == 6
    assert (stats["taken_to_dispatched"]["p50_s"], stats["taken_to_dispatched"]["p90_s"]) == (15.0, 30.0)
    assert stats["dispatched_to_acknowledged"]["p50_s"] == 180.0
    assert stats["dispatched_to_acknowledged"]["max_s"] == 360.0


def test_another_jurisdiction_or_month_sees_what_is_its_own(service):  # noqa: F811
    seed(service)
    assert service.statistics({**JUNE, "jurisdiction": "tj-cusset"})["alerts"]["value"] == 0
    july = service.statistics({**JUNE, "starts_on": "2026-07-01", "ends_on": "2026-07-31"})
    assert july["alerts"] == {"value": None, "suppressed": True}
    assert july["trigger_to_taken"]["p50_s"] is None


def test_exact_figures_keep_the_small_cells(service):  # noqa: F811
    seed(service)
    figures = service.exact_statistics(JUNE)
    assert figures["alerts"] == 8
    assert figures["by_nature"]["danger"] == 6
    assert figures["by_nature"]["test_call"] + figures["by_nature"]["not_qualified"] == 2
    assert 1 <= figures["automatic_dispatches"] <= 4  # the observatory sees it suppressed
    assert "dev-" not in str(figures)

"""When the deadline timer queries (pure): only once a deadline this process wrote has
passed, or once the last scan is older than the full-scan period."""

from datetime import UTC, datetime, timedelta

from tgd_servicekit.due_times import DueTimes

T0 = datetime(2026, 6, 1, 22, 0, tzinfo=UTC)
S = timedelta(seconds=1)


def test_the_first_tick_scans_then_only_a_deadline_passed_or_the_full_scan_period_does():
    due = DueTimes(full_scan=5 * S)
    assert due.scan_due(T0)  # nothing known yet: look
    due.scanned(T0)
    due.note(T0 + 30 * S)
    assert not due.scan_due(T0 + S)  # nothing written is due, and the last scan is recent
    assert due.scan_due(T0 + 5 * S)  # another instance's deadlines: every full-scan period
    due.scanned(T0 + 5 * S)
    due.scanned(T0 + 28 * S)
    assert not due.scan_due(T0 + 29 * S)
    assert due.scan_due(T0 + 30 * S)  # the deadline this process wrote
    due.scanned(T0 + 30 * S)
    assert not due.scan_due(T0 + 31 * S)  # handled: forgotten


def test_a_deadline_moved_later_costs_one_scan_too_many_never_one_too_few():
    due = DueTimes(full_scan=60 * S)
    due.scanned(T0)
    due.note(T0 + 10 * S)
    due.note(T0 + 40 * S)  # the same alert's deadline, moved later
    assert due.scan_due(T0 + 10 * S)
    due.scanned(T0 + 10 * S)
    assert not due.scan_due(T0 + 39 * S)
    assert due.scan_due(T0 + 40 * S)


def test_no_deadline_and_a_clock_that_went_back_make_a_scan():
    due = DueTimes(full_scan=5 * S)
    due.note(None)
    due.scanned(T0)
    assert not due.scan_due(T0 + S)
    assert due.scan_due(T0 - S)

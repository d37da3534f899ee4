"""``tgd migrate alert-records``: batch after batch until nothing is left, another pass
for records changed meanwhile, and a clear failure when some cannot be opened."""

from tgd_cli.migrate_cmd import run_batches


class FakeAlertService:
    """``migrate_records`` over ids 1..n, ``conflict`` ids refused once (changed meanwhile)."""

    def __init__(self, n, conflict=(), broken=()):
        self.todo = {f"a-{i:02d}" for i in range(1, n + 1)}
        self.conflict = set(conflict)
        self.broken = set(broken)
        self.calls = []

    def __call__(self, batch, after):
        self.calls.append(after)
        page = sorted(i for i in self.todo if after is None or i > after)[:batch]
        run = {"converted": 0, "resealed": 0, "conflicts": 0, "failed": [], "last": page[-1] if page else None}
        for i in page:
            if i in self.broken:
                run["failed"].append(i)
            elif i in self.conflict:
                self.conflict.discard(i)
                run["conflicts"] += 1
            else:
                self.todo.discard(i)
                run["converted"] += 1
        run["remaining"] = len(self.todo)
        return run


def test_every_batch_is_taken_in_id_order_until_none_is_left():
    service = FakeAlertService(5)
    totals = run_batches(service, 2, None)
    assert (totals["converted"], totals["remaining"]) == (5, 0)
    assert service.calls == [None, "a-02", "a-04", "a-05"]


def test_a_run_resumes_after_the_last_id_printed():
    service = FakeAlertService(5)
    service.todo -= {"a-01", "a-02", "a-03"}  # an interrupted run converted them
    assert run_batches(service, 10, "a-03")["converted"] == 2


def test_records_changed_meanwhile_are_taken_by_another_pass_and_broken_ones_reported():
    service = FakeAlertService(4, conflict={"a-02"}, broken={"a-03"})
    totals = run_batches(service, 10, None)
    assert totals["converted"] == 3
    assert totals["conflicts"] == 1
    assert totals["failed"] == ["a-03"]
    assert totals["remaining"] == 1  # the command exits 1

"""The durable local store keeps every write it acknowledged through kill -9 (its
default, --sync-on-commit). The measure with and without it, and the write rate:
``tgd-dev bench store`` (docs/reliability.md)."""

from __future__ import annotations

import pytest

from tgd_dev.bench_store import kill_round

pytestmark = pytest.mark.e2e


@pytest.mark.timeout(300)
def test_no_acknowledged_write_is_lost_when_the_store_is_killed_mid_burst(tmp_path):
    for index in range(2):
        result = kill_round(tmp_path / f"round-{index}", writes=150, sync_on_commit=True)
        assert result["acknowledged"] >= 150, result
        assert result["lost"] == 0, result

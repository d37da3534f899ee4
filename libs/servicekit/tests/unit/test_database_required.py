"""A service process never keeps what it accepts in its own memory by accident."""

import pytest

from tgd_servicekit.mongo import DatabaseNotConfigured, require_database


def test_a_configured_database_is_accepted():
    require_database("mongodb://127.0.0.1:27117/?directConnection=true", {})


def test_no_database_is_refused_with_what_to_do():
    with pytest.raises(DatabaseNotConfigured) as refused:
        require_database(None, {})
    assert "tgd up" in str(refused.value)
    assert "TGD_IN_MEMORY_DB=1" in str(refused.value)


def test_in_memory_only_when_asked_explicitly():
    require_database(None, {"TGD_IN_MEMORY_DB": "1"})
    with pytest.raises(DatabaseNotConfigured):
        require_database("", {"TGD_IN_MEMORY_DB": "yes"})

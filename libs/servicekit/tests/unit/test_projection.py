from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from pydantic import BaseModel

from tgd_servicekit.projection import project


class NoticeShown(BaseModel):
    notice_id: str
    unit_code: str
    acknowledged_at: datetime | None = None
    superseded: bool = False


@dataclass
class StoredNotice:
    notice_id: str
    unit_code: str
    acknowledged_at: datetime | None
    superseded: bool
    sealed_note: str  # not the view's: left out


def test_every_field_of_the_view_is_read_from_the_source():
    at = datetime(2026, 1, 2, tzinfo=UTC)
    shown = project(NoticeShown, StoredNotice("n-1", "U-75", at, True, "secret"))
    assert shown == NoticeShown(notice_id="n-1", unit_code="U-75", acknowledged_at=at, superseded=True)


def test_a_given_field_replaces_the_source():
    shown = project(NoticeShown, StoredNotice("n-1", "U-75", None, False, "x"), unit_code="U-13")
    assert shown.unit_code == "U-13"


def test_a_field_the_source_lacks_is_an_error_not_a_default():
    @dataclass
    class Partial:
        notice_id: str
        unit_code: str

    with pytest.raises(AttributeError):
        project(NoticeShown, Partial("n-1", "U-75"))

"""The department of a commune, without I/O."""

import pytest

from device.domain.moves import department_of


@pytest.mark.parametrize(
    ("insee", "department"), [("03901", "03"), ("92903", "92"), ("97105", "971"), ("2A004", "2A"), ("75056", "75")]
)
def test_department_of_a_commune(insee, department):
    assert department_of(insee) == department

"""Associations are data: several per court, several courts per association."""

import pytest

from tgd_contracts.associations import AssociationsError, associations_of, load_associations
from tgd_contracts.jurisdictions import read_courts

HEADER = "code;name;courts\n"


def test_several_associations_per_court_and_several_courts_per_association():
    assert [a.code for a in associations_of("tj-paris")] == ["assoc-fictive-paris-a", "assoc-fictive-paris-b"]
    for court in ("tj-moulins", "tj-montlucon", "tj-cusset"):
        assert [a.code for a in associations_of(court)] == ["assoc-fictive-03"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEADER + "assoc-a;A;tj-moulins|tj-inconnu\n", "line 2: unknown court tj-inconnu"),
        (HEADER + "assoc-a;A;tj-moulins\nassoc-a;A;tj-paris\n", "line 3: association assoc-a listed twice"),
        (HEADER + "assoc-a;A;\n", "line 2: invalid"),
        ("code;name\n", "missing columns: courts"),
    ],
)
def test_a_bad_associations_file_is_refused_with_the_line(text, message):
    with pytest.raises(AssociationsError) as refused:
        load_associations(text, read_courts())
    assert message in str(refused.value)

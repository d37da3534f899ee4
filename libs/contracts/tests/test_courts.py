"""The courts are data: loaded and validated with clear errors."""

import pytest

from tgd_contracts.jurisdictions import CourtsError, load_courts, read_courts

HEADER = "code;name;department\n"


def test_the_packaged_courts_and_a_new_court_from_a_file(tmp_path):
    assert read_courts()["tj-moulins"].department == "03"
    path = tmp_path / "courts.csv"
    path.write_text(HEADER + "tj-fictif;Tribunal judiciaire fictif;971\n", encoding="utf-8")
    assert list(read_courts(str(path))) == ["tj-fictif"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEADER + "tj-a;A;03\ntj-a;A bis;03\n", "line 3: court tj-a listed twice"),
        (HEADER + "TJ A;A;03\n", "line 2: invalid code"),
        (HEADER + "tj-a;;3\n", "line 2: invalid name, department"),
        ("code;name\ntj-a;A\n", "missing columns: department"),
        (HEADER, "no court"),
        ("code;name;department;renewal_cap\ntj-a;A;03;x\n", "line 2: invalid renewal_cap"),
    ],
)
def test_a_bad_courts_file_is_refused_with_the_line(text, message):
    with pytest.raises(CourtsError) as refused:
        load_courts(text)
    assert message in str(refused.value)


def test_a_courts_renewal_cap_is_data():
    courts = load_courts("code;name;department;renewal_cap\ntj-a;A;03;2\ntj-b;B;03;\n")
    assert (courts["tj-a"].renewal_cap, courts["tj-b"].renewal_cap) == (2, None)
    assert read_courts()["tj-paris"].renewal_cap == 1  # the Paris convention: renewable once

"""The directory of force units: loading, validation, lookups."""

import pytest

from notify.dependencies import read_directory
from notify.domain.directory import COLUMNS, DirectoryError, load_csv
from tgd_contracts.partners import Audience

HEADER = ";".join(COLUMNS)


def test_the_shipped_sample_loads_its_departments_with_both_forces():
    directory = read_directory(None)
    assert {c.department for c in directory.communes.values()} == {"03", "92"}
    commune = directory.commune("03903")
    assert commune.unit.audience == Audience.GENDARMERIE
    assert commune.unit.code == "bta-fictive-c"
    assert directory.directorate("03", Audience.POLICE).code == "ddsp-03"
    assert directory.commune("03901").unit.referents[0].startswith("Référent")
    assert directory.commune("75056") is None


def test_a_file_given_by_path_is_loaded(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(HEADER + "\n03905;Commune Fictive;03;gendarmerie;bta-x;Brigade X;ggd-03;Groupement X;\n")
    directory = read_directory(str(path))
    assert directory.commune("03905").unit.referents == ()
    assert load_csv(HEADER + "\n2A004;Commune Fictive;2A;gendarmerie;bta-x;Brigade X;ggd-2a;Groupement X;\n").commune(
        "2A004"
    )  # Corsica's codes are valid (a court of 2A in the courts file makes them loadable)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("insee_code;commune\n", "missing columns"),
        (HEADER + "\n", "empty"),
        (HEADER + "\n123;C;03;police;u;U;d;D;\n", "line 2: invalid insee_code"),
        (HEADER + "\n03001;C;03;army;u;U;d;D;\n", "line 2: invalid zone"),
        (HEADER + "\n03001;C;03;police;Bad Code;U;d;D;\n", "line 2: invalid unit_code"),
        (HEADER + "\n03001;C;03;police;u;U;d;D;\n03001;C;03;police;u;U;d;D;\n", "line 3: commune 03001 listed twice"),
        (HEADER + "\n03001;C;03;police;u;U;d1;D;\n03002;C;03;police;u;U;d2;D;\n", "two directorates"),
    ],
)
def test_invalid_files_are_refused_with_the_line(content, message):
    with pytest.raises(DirectoryError, match=message):
        load_csv(content)


def test_the_referents_of_a_department_units_then_directorates():
    from notify.dependencies import read_directory
    from notify.domain.directory import referents

    found = referents(read_directory(None), "03")
    codes = [(u.unit_code, u.kind) for u in found.units]
    assert codes == [  # in the order of their first commune's INSEE code
        ("csp-fictive-montlucon", "unit"),
        ("csp-fictive-moulins", "unit"),
        ("csp-fictive-vichy", "unit"),
        ("csp-fictive-a", "unit"),
        ("bta-fictive-c", "unit"),
        ("bta-fictive-d", "unit"),
        ("ggd-03", "directorate"),
        ("ddsp-03", "directorate"),
    ]
    unit_a = found.units[3]
    assert unit_a.referents == ["Référent VIF fictif A", "Permanence fictive 00 00 00 00 01"]
    assert unit_a.communes == ["03901", "03902"]
    assert referents(read_directory(None), "75").units == []


def test_a_department_without_a_court_is_refused_at_load(tmp_path):
    path = tmp_path / "units.csv"
    header = "insee_code;commune;department;zone;unit_code;unit_name;directorate_code;directorate_name;referents\n"
    path.write_text(
        header + "99901;Commune Fictive Z;99;police;csp-z;Commissariat Z;ddsp-99;DDSP Z;\n", encoding="utf-8"
    )
    with pytest.raises(DirectoryError, match="commune 99901: department 99 has no court"):
        read_directory(str(path))

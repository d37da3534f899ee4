"""Each department's operations centres and escalation ladder: loading, validation."""

import pytest

from tgd_contracts.centres import BACKUP, CENTRE, COLUMNS, load_csv, read_centres
from tgd_contracts.force_directory import DirectoryError, read_directory
from tgd_contracts.partners import Audience, MessageKind, partner_routing_key

HEADER = ";".join(COLUMNS)
OK = "03;police;gendarmerie;cic-03;CIC;01 99 00 03 17;cic-63;CIC 63;01 99 00 63 17;centre>centre>backup"
OK_G = "03;gendarmerie;gendarmerie;corg-03;CORG;01 99 00 03 18;;;;centre"


def test_the_shipped_sample_has_both_forces_centres_backups_and_a_default_zone():
    centres = read_centres(None)
    police = centres.entry("03", Audience.POLICE)
    assert (police.centre.code, police.backup.code, police.ladder) == ("cic-03", "cic-63", (CENTRE, CENTRE, BACKUP))
    assert centres.entry("03", Audience.GENDARMERIE).centre.code == "corg-03"
    assert centres.default_zone("03") == Audience.GENDARMERIE
    assert centres.default_zone("92") == Audience.POLICE
    assert centres.entry("2a", Audience.POLICE) is None
    # every centre's code is a routing-key segment of a command recipient
    for entry in centres.entries.values():
        for centre in (entry.centre, entry.backup):
            key = partner_routing_key(Audience.COMMAND, entry.department.lower(), centre.code, MessageKind.DISPATCH)
            assert key.startswith(f"command.{entry.department.lower()}.")


def test_every_department_of_the_force_directory_sample_has_its_centres():
    departments = {c.department for c in read_directory(None).communes.values()}
    centres = read_centres(None)
    for department in departments:
        zones = {c.unit.audience for c in read_directory(None).communes.values() if c.department == department}
        assert all(centres.entry(department, zone) for zone in zones)


def test_a_ladder_without_backup_repeats_its_centre():
    entry = load_csv(f"{HEADER}\n{OK_G}\n").entry("03", Audience.GENDARMERIE)
    assert entry.backup is None
    assert entry.rung(CENTRE) == entry.centre


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("", "no operations centre"),
        (OK.replace("centre>centre>backup", "backup>centre"), "line 2: invalid ladder"),
        (OK.replace("centre>centre>backup", "centre>gendarmerie"), "line 2: invalid ladder"),
        (OK_G.replace(";centre", ";centre>backup"), "line 2: invalid ladder"),
        (OK.replace("01 99 00 03 17", "call me"), "line 2: invalid centre_phone"),
        (OK.replace("cic-03", "CIC 03"), "line 2: invalid centre_code"),
        (OK.replace(";police;", ";army;"), "line 2: invalid force"),
        (OK.replace("cic-63;CIC 63", "cic-63;"), "line 2: invalid backup_name"),
        (f"{OK}\n{OK}", "line 3: police of 03 listed twice"),
        (f"{OK}\n{OK_G.replace(';gendarmerie;gendarmerie;', ';gendarmerie;police;')}", "two default zones"),
        (OK.replace(";gendarmerie;", ";gendarmerie;", 1), "03: no gendarmerie centre"),
    ],
)
def test_invalid_files_are_refused_with_the_line_never_the_content(rows, message):
    with pytest.raises(DirectoryError, match=message) as refused:
        load_csv(f"{HEADER}\n{rows}\n")
    assert "01 99" not in str(refused.value)


def test_missing_columns_are_named():
    with pytest.raises(DirectoryError, match=r"missing columns: .*ladder"):
        load_csv("department;force\n03;police\n")

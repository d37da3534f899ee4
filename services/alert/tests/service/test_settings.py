"""The routing settings read at start: thresholds and the directory files."""

import pytest
from nameko import config

from alert.dependencies import load_territory, settings_from_config
from tgd_contracts.force_directory import DirectoryError


def test_the_position_thresholds_come_from_the_config_with_sane_defaults():
    assert settings_from_config().territory.policy.max_accuracy_m == 1000.0
    with config.patch({"ALERT_POSITION_MAX_AGE_S": "120", "ALERT_POSITION_MAX_ACCURACY_M": "250"}):
        policy = settings_from_config().territory.policy
    assert (policy.max_fix_age.total_seconds(), policy.max_accuracy_m) == (120.0, 250.0)


@pytest.mark.parametrize("bad", ["nan", "inf", "0", "-5"])
def test_absurd_thresholds_stop_the_service_at_start(bad):
    with config.patch({"ALERT_POSITION_MAX_ACCURACY_M": bad}), pytest.raises(ValueError, match="positive"):
        settings_from_config()


def test_a_centres_file_that_does_not_validate_stops_the_service_with_its_line(tmp_path):
    path = tmp_path / "centres.csv"
    path.write_text(
        "department;force;default_zone;centre_code;centre_name;centre_phone;backup_code;backup_name;backup_phone;ladder\n"
        "03;police;police;cic-03;CIC;not a phone;;;;centre\n"
    )
    with pytest.raises(DirectoryError, match="line 2: invalid centre_phone"):
        load_territory(centres_file=str(path))

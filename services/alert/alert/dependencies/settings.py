"""The alert service's settings, read once from its config at start: the deadlines
policy, the grouping window, the qualification script, the record retention and the
territory (commune centres, force directory, operations centres)."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from datetime import timedelta
from importlib.resources import files
from typing import Any

import yaml
from nameko import config
from nameko.extensions import DependencyProvider

from alert.domain.escalation import Policy
from alert.domain.places import official_places
from alert.domain.script import Script
from alert.domain.territory import PositionPolicy, Territory
from tgd_contracts.centres import read_centres
from tgd_contracts.force_directory import read_directory
from tgd_servicekit.durations import Period, parse_period

log = logging.getLogger(__name__)


RECORD_RETENTION = Period(months=3)


def load_territory(
    directory_file: str | None = None, centres_file: str | None = None, policy: PositionPolicy | None = None
) -> Territory:
    """The commune centres, the force directory and the operations centres (the shipped
    fictional samples when no file is named); a file that does not validate stops the
    service at start with the line of the problem."""
    territory = Territory(
        places=official_places(),
        directory=read_directory(directory_file or None),
        centres=read_centres(centres_file or None),
        policy=policy or PositionPolicy(),
    )
    listed = {c.department for c in territory.directory.communes.values()}
    without = sorted(d for d in listed if territory.centres.default_zone(d) is None)
    if without:  # their alerts go to her home's centre, or the department's command queue
        log.warning("departments of the force directory without operations centres: %s", ", ".join(without))
    return territory


def position_policy_from_config() -> PositionPolicy:
    max_age = float(config.get("ALERT_POSITION_MAX_AGE_S", 600))
    max_accuracy = float(config.get("ALERT_POSITION_MAX_ACCURACY_M", 1000))
    if not (math.isfinite(max_age) and max_age > 0 and math.isfinite(max_accuracy) and max_accuracy > 0):
        raise ValueError("ALERT_POSITION_MAX_AGE_S and ALERT_POSITION_MAX_ACCURACY_M must be positive numbers")
    return PositionPolicy(max_fix_age=timedelta(seconds=max_age), max_accuracy_m=max_accuracy)


@dataclass(frozen=True)
class AlertSettings:
    policy: Policy
    grouping_window: timedelta
    script: Script
    #: where she is -> who can send a patrol (commune centres, force directory, centres)
    territory: Territory = field(default_factory=load_territory)
    #: the alert record is anonymised this long after its legal basis ended (alert.retention)
    record_retention: Period = RECORD_RETENTION


def load_script(path: str | None) -> Script:
    source = open(path) if path else (files("alert") / "qualification.yaml").open()
    with source:
        return Script.from_mapping(yaml.safe_load(source))


def settings_from_config() -> AlertSettings:
    return AlertSettings(
        policy=Policy(
            failsafe_delay=timedelta(seconds=float(config.get("ALERT_FAILSAFE_DELAY_S", 30))),
            ack_delay=timedelta(seconds=float(config.get("ALERT_ACK_DELAY_S", 60))),
            repeats=int(config.get("ALERT_REPEATS", 1)),
            qualification_delay=timedelta(seconds=float(config.get("ALERT_QUALIFICATION_DELAY_S", 300))),
        ),
        grouping_window=timedelta(seconds=float(config.get("ALERT_GROUPING_WINDOW_S", 900))),
        script=load_script(config.get("ALERT_QUALIFICATION_SCRIPT") or None),
        record_retention=parse_period(config.get("ALERT_RECORD_RETENTION", "P3M")),
        territory=load_territory(
            config.get("ALERT_DIRECTORY_FILE") or None,
            config.get("ALERT_CENTRES_FILE") or None,
            position_policy_from_config(),
        ),
    )


class Settings(DependencyProvider):
    """The policy (failsafe, acknowledgement delay, repeats), the grouping window and
    the qualification script, read once from the service's config."""

    def setup(self) -> None:
        self.settings = settings_from_config()

    def get_dependency(self, worker_ctx: Any) -> AlertSettings:
        return self.settings

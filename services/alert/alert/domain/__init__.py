"""The alert service's rules, pure: no nameko, no database, time passed in.

The alert itself (:mod:`.model`) and its lifecycle (:mod:`.lifecycle`: raise, join a
press, take, answer the script, qualify, close) are importable from here
(``domain.take(alert, ...)``); the other rules each have their module:

- :mod:`.routing`: who is alerted, with what; :mod:`.escalation`: deadlines, repeats and
  the ladder; :mod:`.presses`: a further press; :mod:`.positions`: her new positions;
- :mod:`.territory` and :mod:`.places`: where she is, who can send a patrol there;
- :mod:`.script`: the closed-question script; :mod:`.qualified_test_calls`: a test call;
- :mod:`.retention`: what is purged when; :mod:`.attributions`: whose device it is now.
"""

from alert.domain.lifecycle import (
    add_position,
    already_recorded,
    answer,
    close,
    consent_of,
    device_flags,
    dossier_of,
    forget_positions_without_consent,
    join_press,
    joins_open_incident,
    keep_position,
    may_keep_position,
    qualify,
    raise_alert,
    suggested_outcome,
    take,
)
from alert.domain.model import (
    INACTIVE_DEVICE,
    OPEN_STATES,
    REPLACED_DEVICE,
    RETURNED_DEVICE,
    SYSTEM,
    UNKNOWN_DEVICE,
    Alert,
    Delivery,
    DeviceFacts,
    LadderRung,
    PositionRetention,
    Press,
    new_id,
)

__all__ = [
    "INACTIVE_DEVICE",
    "OPEN_STATES",
    "REPLACED_DEVICE",
    "RETURNED_DEVICE",
    "SYSTEM",
    "UNKNOWN_DEVICE",
    "Alert",
    "Delivery",
    "DeviceFacts",
    "LadderRung",
    "PositionRetention",
    "Press",
    "add_position",
    "already_recorded",
    "answer",
    "close",
    "consent_of",
    "device_flags",
    "dossier_of",
    "forget_positions_without_consent",
    "join_press",
    "joins_open_incident",
    "keep_position",
    "may_keep_position",
    "new_id",
    "qualify",
    "raise_alert",
    "suggested_outcome",
    "take",
]

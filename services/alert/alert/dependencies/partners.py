"""Publishing to the partners (``tgd.partners``): sealed for the addressee, with
confirms, each partner's durable queue declared first (see
:mod:`tgd_servicekit.partner_publisher`, shared with notify)."""

from __future__ import annotations

from tgd_servicekit import partner_publisher
from tgd_servicekit.partner_publisher import PartnerSender


class PartnerPublisher(partner_publisher.PartnerPublisher):
    """Dispatches, positions and closures to ``tgd.partners`` (spans carry ``tgd.alert_id``)."""

    tracer_name = "tgd.alert.partners"
    subject_attribute = "tgd.alert_id"


__all__ = ["PartnerPublisher", "PartnerSender"]

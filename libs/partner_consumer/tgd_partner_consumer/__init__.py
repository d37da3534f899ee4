"""Reference consumer for partners of the TGD platform (police, gendarmerie,
association, command centre): receive alert dispatches on ``tgd.partners``, validate
them, hand them to your handler, acknowledge back. See docs/partner-consumer.md."""

from tgd_partner_consumer.consumer import PartnerConsumer, Received
from tgd_partner_consumer.handlers import Handler, JsonLinesHandler

__all__ = ["Handler", "JsonLinesHandler", "PartnerConsumer", "Received"]

"""Reference consumer for partners of the TGD platform (police, gendarmerie,
association, command centre): read the queue the platform declared for you
(``partner.<audience>.<territory>.<unit>``), validate each message (notices, dispatches,
escalations, closures), hand it to your handler, acknowledge back on
``tgd.partner-replies`` with your own routing key. See docs/partner-consumer.md."""

from tgd_partner_consumer.consumer import NotProvisioned, PartnerConsumer, Received
from tgd_partner_consumer.handlers import Handler, JsonLinesHandler

__all__ = ["Handler", "JsonLinesHandler", "NotProvisioned", "PartnerConsumer", "Received"]

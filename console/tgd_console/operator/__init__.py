"""The platform operators' console (console de régulation), moved out of the gateway:
the live list of alerts, each alert's dossier, taking, qualifying and dispatching it, the
observatory's statistics, and the platform's reminders (out of stock). Like the other
screens it calls the gateway's API with the operator's own token (:mod:`tgd_console.web`)."""

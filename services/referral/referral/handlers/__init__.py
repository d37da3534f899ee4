"""The referral service's use cases, as nameko entrypoint mixins grouped by subject
(submission, reads, follow-up, orientation, retention). A submission goes through the
aggregate algorithm of :mod:`tgd_servicekit.aggregate`, keyed by its idempotency key."""

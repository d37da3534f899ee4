"""Referral service (signalements): the referent association's single intake."""

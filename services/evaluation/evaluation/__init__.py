"""Evaluation service (évaluation du danger, décision du procureur): requisitions,
the association's reports, consent, attribution decisions, renewals and withdrawals."""

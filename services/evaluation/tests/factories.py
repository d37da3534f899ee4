"""Valid bodies for the evaluation service's tests: the shared fictional examples
(tgd_contracts/examples/evaluation.py) with the variants these tests need."""

from tgd_contracts.examples import evaluation

REQUISITION = evaluation.requisition()
CONSENT = evaluation.consent()
REFUSED_CONSENT = evaluation.consent(False)


def report(yes=14, override=None):
    """A report on the 27-question grid answering yes to its first ``yes`` questions."""
    return evaluation.evaluation_report(yes=yes, items=27, override=override)


def decision(granted=True, incarcerated=False, months=None):
    return evaluation.decision(granted, incarcerated=incarcerated, months=months)


renewal = evaluation.renewal
withdrawal = evaluation.withdrawal

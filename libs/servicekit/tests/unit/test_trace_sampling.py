"""Sampling decisions: an alert's path is always sampled, the rest at the ratio."""

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace.sampling import Decision
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags

from tgd_servicekit.tracing import AlertPathSampler, is_alert_path, sample_ratio

TRACE_ID = 0x0AF7651916CD43DD8448EB211C80319C


def parent(sampled: bool):
    flags = TraceFlags(TraceFlags.SAMPLED if sampled else TraceFlags.DEFAULT)
    context = SpanContext(TRACE_ID, 0x00F067AA0BA902B7, is_remote=True, trace_flags=flags)
    return trace.set_span_in_context(NonRecordingSpan(context))


@pytest.mark.parametrize(
    ("name", "attributes"),
    [
        ("POST /v1/device-alerts", {}),
        ("POST", {"http.route": "/v1/alerts/{alert_id}/dispatch"}),
        ("alert.trigger", {}),
        ("notify.something", {"tgd.alert_id": "al-1"}),
    ],
)
def test_the_alert_path_is_recognised(name, attributes):
    assert is_alert_path(name, attributes)


@pytest.mark.parametrize(
    ("name", "attributes"),
    [
        ("POST /v1/referrals", {}),
        ("GET /console/alerts", {}),  # the old console path: a redirect now, not the alert path
        ("GET", {"url.path": "/v1/audit"}),
        ("device.get_dossier", None),
        ("alerting", {}),
    ],
)
def test_other_spans_are_not_the_alert_path(name, attributes):
    assert not is_alert_path(name, attributes)


def test_an_alert_root_is_sampled_even_at_ratio_zero():
    result = AlertPathSampler(0.0).should_sample(None, TRACE_ID, "POST /v1/device-alerts")
    assert result.decision is Decision.RECORD_AND_SAMPLE


def test_an_alert_span_is_sampled_under_an_unsampled_parent():
    result = AlertPathSampler(0.0).should_sample(parent(False), TRACE_ID, "x", attributes={"tgd.alert_id": "al-1"})
    assert result.decision is Decision.RECORD_AND_SAMPLE


def test_other_roots_follow_the_ratio():
    assert AlertPathSampler(0.0).should_sample(None, TRACE_ID, "POST /v1/referrals").decision is Decision.DROP
    assert (
        AlertPathSampler(1.0).should_sample(None, TRACE_ID, "POST /v1/referrals").decision is Decision.RECORD_AND_SAMPLE
    )


def test_children_follow_their_parent_whatever_the_ratio():
    sampler = AlertPathSampler(0.0)
    assert sampler.should_sample(parent(True), TRACE_ID, "device.get_dossier").decision is Decision.RECORD_AND_SAMPLE
    assert AlertPathSampler(1.0).should_sample(parent(False), TRACE_ID, "device.get_dossier").decision is Decision.DROP


def test_the_ratio_comes_from_the_environment_and_bad_values_are_refused():
    assert sample_ratio({}) == 1.0
    assert sample_ratio({"TGD_TRACE_SAMPLE_RATIO": "0.1"}) == 0.1
    for bad in ("x", "1.5", "-0.1"):
        with pytest.raises(ValueError, match="TGD_TRACE_SAMPLE_RATIO"):
            sample_ratio({"TGD_TRACE_SAMPLE_RATIO": bad})

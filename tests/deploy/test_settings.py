"""Same variable names everywhere: every setting the manifests (Kubernetes and compose)
pass to a process is one that process reads, and both pass the same names."""

import re
from pathlib import Path

import pytest

from gateway.settings import Settings

ROOT = Path(__file__).parents[2]
# Read by tgd-service (tgd_servicekit.runner / health) or the OpenTelemetry SDK in every process.
RUNNER = {"TGD_HEALTH_HOST", "TGD_HEALTH_PORT", "TGD_SERVICE", "TGD_METRICS_HOST", "TGD_METRICS_PORT"}
GATEWAY_METRICS = {"TGD_GATEWAY_METRICS_HOST", "TGD_GATEWAY_METRICS_PORT"}  # gateway.metrics
# Read from the environment by tgd_servicekit.production / crypto (every service) and by the
# gateway's evidence signer (tgd_servicekit.evidence_keys)
KEYS = {"TGD_ENV", "TGD_FIELD_KEYS", "TGD_ACTIVE_KEY_ID", "TGD_BLIND_INDEX_KEY"}
EVIDENCE = {"TGD_EVIDENCE_SIGNING_KEY"}
OTEL = {
    "OTEL_TRACES_EXPORTER",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_RESOURCE_ATTRIBUTES",
    "OTEL_SERVICE_NAME",
    "TGD_TRACES_FILE",
    "TGD_TRACE_SAMPLE_RATIO",
}
TEST_SECRETS = {
    ("tgd-rabbitmq-services", "username"): "user",
    ("tgd-rabbitmq-services", "password"): "secret",
    ("tgd-mongodb-app", "connectionString.standard"): "mongodb://u:p@db:27017/admin?replicaSet=tgd-mongodb",
    ("tgd-field-keys", "field-keys"): "k1:a2V5",
    ("tgd-field-keys", "active-key-id"): "k1",
    ("tgd-field-keys", "blind-index-key"): "aW5kZXg=",
    ("tgd-gateway", "jwt-secret"): "j" * 40,
    ("tgd-gateway", "audit-key"): "a" * 40,
    ("tgd-evidence-signing", "signing-key"): "e-1:c2VlZA==",
}


def read_by_service(service: str) -> set[str]:
    config = (ROOT / "services" / service / service / "config.yaml").read_text()
    return set(re.findall(r"\$\{([A-Z0-9_]+):", config)) | RUNNER | OTEL | KEYS


def read_by_gateway() -> set[str]:
    names = {f"TGD_GATEWAY_{name.upper()}" for name in Settings.model_fields}
    names |= {f.validation_alias for f in Settings.model_fields.values() if isinstance(f.validation_alias, str)}
    return names | OTEL | EVIDENCE | GATEWAY_METRICS


def passed_by_k8s(k8s, docs, name: str) -> set[str]:
    return set(k8s.container_env(docs, name, TEST_SECRETS)) - k8s.composition_only(docs, name)


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_a_service_reads_every_setting_kubernetes_passes(overlays, k8s, overlay, service):
    passed = passed_by_k8s(k8s, overlays[overlay], service)
    assert {"AMQP_URI", "MONGODB_URI", "MONGODB_DB_PREFIX", "TGD_HEALTH_PORT"} <= passed
    assert passed - read_by_service(service) == set()


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_the_gateway_reads_every_setting_kubernetes_passes(overlays, k8s, overlay):
    passed = passed_by_k8s(k8s, overlays[overlay], "gateway")
    assert {"AMQP_URI", "TGD_GATEWAY_HOST", "TGD_GATEWAY_PORT"} <= passed
    assert passed - read_by_gateway() == set()


def test_compose_passes_the_same_names_as_kubernetes(overlays, k8s, compose):
    docs = overlays["prod"]
    for name in (*k8s.services, "gateway"):
        assert set(compose["services"][name]["environment"]) == passed_by_k8s(k8s, docs, name), name


def test_the_composed_broker_uri_names_the_vhost_and_the_secret_credentials(overlays, k8s):
    env = k8s.container_env(overlays["prod"], "referral", TEST_SECRETS)
    assert env["AMQP_URI"] == "pyamqp://user:secret@tgd-rabbitmq:5672/tgd"

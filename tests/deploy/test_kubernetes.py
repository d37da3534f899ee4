"""The Kubernetes manifests, rendered offline by kustomize (kubectl's) for each overlay:
built-in resources against the Kubernetes JSON schemas (kubernetes-validate, strict),
custom resources against the fields their operators require, and the properties the
deployment relies on (probes, limits, disruption budgets, autoscaling, secrets by
reference, partner permissions, network isolation)."""

import copy
import hashlib
import platform
import re
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml

from tgd_contracts.partners import (
    PARTNER_EXCHANGE,
    PARTNER_REPLY_EXCHANGE,
    Audience,
    MessageKind,
    partner_queue_name,
    partner_routing_key,
)
from tgd_servicekit.partner_access import PartnerAccount

# Oldest Kubernetes this targets, and the newest kubernetes-validate bundles.
K8S_VERSIONS = ("1.30.0", kubernetes_validate.latest_version())
CUSTOM_KINDS = yaml.safe_load((Path(__file__).parent / "crd_required.yaml").read_text())
# The official kubectl v1.37.1 linux/amd64 binary (dl.k8s.io's published SHA-256).
KUBECTL_SHA256_AMD64 = "65691ff77eb6fa44c908b77a1082c9f092c3b9733b5cefabec0d1104890e21a8"
PARTNERS = (Audience.POLICE, Audience.GENDARMERIE, Audience.ASSOCIATION)
APP_COMPONENTS = ("service", "gateway")


def apps(docs):
    return [
        d
        for d in docs
        if d["kind"] == "Deployment" and d["metadata"]["labels"].get("app.kubernetes.io/component") in APP_COMPONENTS
    ]


def test_the_kustomize_used_is_the_official_kubectl_binary(k8s):
    if platform.machine() != "x86_64":
        pytest.skip("the pinned checksum is the linux/amd64 one")
    assert hashlib.sha256(k8s.kubectl().read_bytes()).hexdigest() == KUBECTL_SHA256_AMD64


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_built_in_resources_match_the_kubernetes_schemas(overlays, overlay):
    checked = 0
    for doc in overlays[overlay]:
        if doc["kind"] in CUSTOM_KINDS:
            continue
        for version in K8S_VERSIONS:
            kubernetes_validate.validate(doc, version, strict=True)
        checked += 1
    assert checked >= 30


def test_the_schema_check_rejects_a_wrong_field(overlays, k8s):
    deployment = copy.deepcopy(k8s.one(overlays["dev"], "Deployment", "referral"))
    deployment["spec"]["template"]["spec"]["containers"][0]["resources"]["limit"] = {"cpu": "1"}  # limits
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, K8S_VERSIONS[0], strict=True)


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_custom_resources_have_the_fields_their_operators_require(overlays, overlay):
    seen = set()
    for doc in overlays[overlay]:
        rule = CUSTOM_KINDS.get(doc["kind"])
        if rule is None or doc["kind"] == "definitions":
            continue
        assert doc["apiVersion"] == rule["apiVersion"]
        schema = {**rule["spec"], "definitions": CUSTOM_KINDS["definitions"]}
        jsonschema.validate(doc["spec"], schema)
        seen.add(doc["kind"])
    expected = set(CUSTOM_KINDS) - {"definitions"}
    if overlay == "prod":  # partners' users (and their topic permissions) are provisioned per unit by command
        expected -= {"TopicPermission"}
    assert seen == expected


def test_the_custom_resource_check_rejects_a_missing_field():
    rule = CUSTOM_KINDS["TopicPermission"]
    spec = {"vhost": "tgd", "userReference": {"name": "x"}, "rabbitmqClusterReference": {"name": "tgd-rabbitmq"}}
    with pytest.raises(jsonschema.ValidationError, match="permissions"):
        jsonschema.validate(spec, {**rule["spec"], "definitions": CUSTOM_KINDS["definitions"]})


def test_every_service_and_the_gateway_are_deployed(overlays, k8s):
    for docs in overlays.values():
        assert {d["metadata"]["name"] for d in apps(docs)} == {*k8s.services, "gateway"}


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_processes_have_probes_on_their_health_endpoints_limits_and_no_root(overlays, overlay, k8s):
    docs = overlays[overlay]
    health_port = int(k8s.one(docs, "ConfigMap", "tgd-config")["data"]["TGD_HEALTH_PORT"])
    for deployment in apps(docs):
        pod = deployment["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        ready = container["readinessProbe"]["httpGet"]
        assert container["livenessProbe"]
        if deployment["metadata"]["labels"]["app.kubernetes.io/component"] == "service":
            assert ports[ready["port"]] == health_port
            assert ready["path"] == "/health/ready"
            assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
        else:
            assert ready["path"] == "/health"
        assert set(container["resources"]["requests"]) == set(container["resources"]["limits"]) == {"cpu", "memory"}
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert container["securityContext"]["allowPrivilegeEscalation"] is False


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_every_process_and_both_clusters_have_a_disruption_budget(overlays, overlay):
    docs = overlays[overlay]
    budgets = [d["spec"]["selector"]["matchLabels"] for d in docs if d["kind"] == "PodDisruptionBudget"]
    for deployment in apps(docs):
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert any(sel.items() <= labels.items() for sel in budgets), deployment["metadata"]["name"]
    assert {"app.kubernetes.io/name": "tgd-rabbitmq"} in budgets
    assert {"app": "tgd-mongodb-svc"} in budgets


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_the_alert_path_autoscales(overlays, overlay, k8s):
    docs = overlays[overlay]
    targets = {d["spec"]["scaleTargetRef"]["name"]: d for d in k8s.find(docs, "HorizontalPodAutoscaler")}
    assert set(targets) == {"alert", "notify"}
    for name, hpa in targets.items():
        assert k8s.one(docs, "Deployment", name)
        assert 1 <= hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_secrets_are_referenced_never_inlined(overlays, overlay):
    docs = overlays[overlay]
    assert not [d for d in docs if d["kind"] == "Secret"]
    for deployment in apps(docs):
        for item in deployment["spec"]["template"]["spec"]["containers"][0].get("env", []):
            if re.search("PASSWORD|SECRET|TOKEN|USERNAME|MONGODB_URI", item["name"]):
                assert "secretKeyRef" in item.get("valueFrom", {}), item["name"]
            assert "@" not in item.get("value", "").split("$(")[0], item["name"]  # no credentials in a literal URI
    text = yaml.safe_dump_all(docs)
    assert not re.search(r"(?i)password:\s*\S", text)


def _secret_names(node):
    """Every Secret a resource names: secretKeyRef, importCredentialsSecret, passwordSecretRef,
    and the connection-string Secret the MongoDB operator writes."""
    if isinstance(node, list):
        return set().union(*map(_secret_names, node)) if node else set()
    if not isinstance(node, dict):
        return set()
    names = {node[k]["name"] for k in ("secretKeyRef", "importCredentialsSecret", "passwordSecretRef") if k in node}
    if "connectionStringSecretName" in node:
        names.add(node["connectionStringSecretName"])
    return names | _secret_names(list(node.values()))


def test_the_operations_guide_lists_every_secret_the_manifests_reference(overlays):
    guide = (Path(__file__).parents[2] / "docs" / "operations.md").read_text()
    names = _secret_names(overlays["prod"])
    assert names >= {"tgd-rabbitmq-services", "tgd-mongodb-app", "tgd-mongodb-app-password"}
    assert sorted(n for n in names if f"`{n}`" not in guide) == []


def test_the_cluster_runs_quorum_queues_on_three_nodes_in_prod(overlays, k8s):
    cluster = k8s.one(overlays["prod"], "RabbitmqCluster", "tgd-rabbitmq")
    assert cluster["spec"]["replicas"] == 3
    assert "default_queue_type = quorum" in cluster["spec"]["rabbitmq"]["additionalConfig"]
    assert k8s.one(overlays["prod"], "Vhost", "tgd")["spec"]["defaultQueueType"] == "quorum"
    assert k8s.one(overlays["prod"], "MongoDBCommunity", "tgd-mongodb")["spec"]["members"] == 3


def _partner_users(docs):
    return [d for d in docs if d["kind"] == "User" and "tgd.fr/partner" in d["metadata"].get("labels", {})]


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_no_partner_user_is_shared_by_a_whole_force_or_reads_beyond_its_unit(overlays, overlay, k8s):
    """Issue 17: one ``police`` user for every police unit in France could read another
    department's queues. Every partner user is one addressee's (unit, directorate, command
    centre, or an association for one jurisdiction), with exactly the permissions
    ``tgd broker provision-partner`` gives it: its own queue, its own keys."""
    docs = overlays[overlay]
    for topic in k8s.find(docs, "TopicPermission"):
        for verb in ("read", "write"):
            pattern = topic["spec"]["permissions"][verb]
            for audience in PARTNERS:  # no permission covers two units', or two territories', keys
                pairs = [("03", "unit-a"), ("03", "unit-b")] if audience is not Audience.ASSOCIATION else []
                pairs = pairs or [("tj-moulins", None), ("tj-paris", None)]
                keys = [partner_routing_key(audience, t, u, MessageKind.DISPATCH) for t, u in pairs]
                assert not all(re.search(pattern, key) for key in keys), (topic["metadata"]["name"], pattern)
    for user in _partner_users(docs):
        labels, name = user["metadata"]["labels"], user["metadata"]["name"]
        audience, territory = Audience(labels["tgd.fr/partner"]), labels["tgd.fr/territory"]
        account = PartnerAccount(audience, territory, labels.get("tgd.fr/unit"))
        assert name == account.username
        if account.audience in (Audience.POLICE, Audience.GENDARMERIE, Audience.COMMAND):
            assert account.unit != "any", name
        perms = k8s.one(docs, "Permission", name)["spec"]["permissions"]
        assert perms == account.permissions()
        assert perms["configure"] == "^$"  # the platform declares and binds every partner queue
        assert re.search(perms["read"], account.queue)
        for other_queue in (partner_queue_name(audience, "92", "x"), partner_queue_name(audience, territory, "other"),
                            "rpc-referral", "tgd.dead-letters"):  # fmt: skip
            assert not re.search(perms["read"], other_queue), other_queue
        assert not re.search(perms["write"], PARTNER_EXCHANGE)
        topics = [t["spec"]["permissions"] for t in k8s.find(docs, "TopicPermission")
                  if t["spec"]["userReference"]["name"] == name]  # fmt: skip
        assert sorted(topics, key=lambda t: t["exchange"]) == sorted(
            account.topic_permissions(), key=lambda t: t["exchange"]
        )
        assert {t["exchange"] for t in topics} == {PARTNER_EXCHANGE, PARTNER_REPLY_EXCHANGE}


def test_the_dev_cluster_shows_per_unit_partner_users_and_prod_provisions_them_by_command(overlays):
    assert {u["metadata"]["labels"].get("tgd.fr/unit") for u in _partner_users(overlays["dev"])} >= {
        "csp-fictive-a",
        "bta-fictive-c",
    }
    assert _partner_users(overlays["prod"]) == []  # created per unit with tgd broker provision-partner
    guide = (Path(__file__).parents[2] / "docs" / "operations.md").read_text()
    assert "tgd broker provision-partner" in guide


def _policies(docs):
    return [d for d in docs if d["kind"] == "NetworkPolicy"]


def test_the_namespace_denies_all_traffic_that_is_not_allowed_by_name(overlays):
    (deny,) = [p for p in _policies(overlays["prod"]) if p["metadata"]["name"] == "default-deny"]
    assert deny["spec"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}


def test_partners_reach_only_the_gateway_and_the_broker(overlays, k8s):
    reached = set()
    for policy in _policies(overlays["prod"]):
        for rule in policy["spec"].get("ingress", []):
            for peer in rule.get("from", []):
                expressions = peer.get("namespaceSelector", {}).get("matchExpressions", [])
                if any(e["key"] == "tgd.fr/partner" for e in expressions):
                    target = policy["spec"]["podSelector"]["matchLabels"]["app.kubernetes.io/name"]
                    reached |= {(target, p["port"]) for p in rule["ports"]}
    assert reached == {("gateway", 8080), ("tgd-rabbitmq", 5672), ("tgd-rabbitmq", 5671)}

    (egress,) = k8s.render(k8s.deploy / "k8s" / "partner")
    kubernetes_validate.validate(egress, K8S_VERSIONS[0], strict=True)
    targets = {
        (peer["podSelector"]["matchLabels"].get("app.kubernetes.io/name"), port["port"])
        for rule in egress["spec"]["egress"]
        for peer in rule["to"]
        for port in rule["ports"]
        if "tgd.fr/platform" in peer.get("namespaceSelector", {}).get("matchLabels", {})
    }
    assert targets == {("gateway", 8080), ("tgd-rabbitmq", 5672), ("tgd-rabbitmq", 5671)}
    for overlay in overlays.values():
        assert k8s.find(overlay, "Namespace")[0]["metadata"]["labels"]["tgd.fr/platform"] == "true"


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_the_projects_pods_meet_the_restricted_pod_security_profile(overlays, overlay, k8s):
    for deployment in k8s.find(overlays[overlay], "Deployment"):
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        assert pod["automountServiceAccountToken"] is False
        for container in pod["containers"]:
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
            assert container["securityContext"]["capabilities"] == {"drop": ["ALL"]}
        volumes = {"emptyDir", "configMap", "persistentVolumeClaim"}  # all allowed by the restricted profile
        assert all(set(volume) & volumes for volume in pod.get("volumes", []))


SERVICE_SECRETS = {"MONGODB_URI", "TGD_FIELD_KEYS", "TGD_ACTIVE_KEY_ID", "TGD_BLIND_INDEX_KEY"}
GATEWAY_SECRETS = {"TGD_GATEWAY_JWT_SECRET", "TGD_GATEWAY_AUDIT_KEY", "TGD_EVIDENCE_SIGNING_KEY"}


def _real_looking_secrets(docs):
    """A value for every Secret key the manifests reference: fresh random keys of the right shapes."""
    import base64
    import os

    shapes = {
        "field-keys": lambda: "k1:" + base64.b64encode(os.urandom(32)).decode(),
        "active-key-id": lambda: "k1",
        "blind-index-key": lambda: base64.b64encode(os.urandom(32)).decode(),
        "signing-key": lambda: "prod-1:" + base64.b64encode(os.urandom(32)).decode(),
    }
    refs = set()

    def walk(node):
        if isinstance(node, dict):
            if "secretKeyRef" in node:
                refs.add((node["secretKeyRef"]["name"], node["secretKeyRef"]["key"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(docs)
    return {(name, key): shapes.get(key, lambda: "x" * 48)() for name, key in refs}


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_every_process_runs_in_production_mode_with_real_secrets_by_reference(overlays, overlay, k8s, monkeypatch):
    """Issue 17: no configuration set TGD_ENV, so every process stayed in development mode and
    accepted the public development secret. Every overlay's every process is in production
    mode, takes its secrets from Secrets, and that environment passes its own start checks;
    with development values in their place, it refuses to start."""
    from gateway.settings import DEV_JWT_SECRET, Settings
    from tgd_servicekit.evidence_keys import EvidenceKeyError, signing_key_from_env
    from tgd_servicekit.production import production_problems

    docs = overlays[overlay]
    secrets = _real_looking_secrets(docs)
    for deployment in apps(docs):
        name = deployment["metadata"]["name"]
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        by_secret = {i["name"] for i in container.get("env", []) if "secretKeyRef" in i.get("valueFrom", {})}
        env = k8s.container_env(docs, name, secrets)
        assert env["TGD_ENV"] == "production", name
        if name == "gateway":
            assert GATEWAY_SECRETS <= by_secret
            for key, value in env.items():
                monkeypatch.setenv(key, value)
            assert Settings(_env_file=None).env == "production"  # its own start check passes
            signing_key_from_env(env)  # the evidence signer's own check passes
            with pytest.raises(EvidenceKeyError):
                signing_key_from_env({**env, "TGD_EVIDENCE_SIGNING_KEY": ""})
            monkeypatch.setenv("TGD_GATEWAY_JWT_SECRET", DEV_JWT_SECRET)
            with pytest.raises(ValueError, match="production"):
                Settings(_env_file=None)
        else:
            assert SERVICE_SECRETS <= by_secret, name
            assert production_problems(env) == [], name
            assert production_problems({**env, "TGD_FIELD_KEYS": ""}), name
            assert production_problems({**env, "MONGODB_URI": ""}), name


@pytest.mark.parametrize("dockerfile", ["service.Dockerfile", "gateway.Dockerfile"])
def test_images_default_to_production_mode(dockerfile, k8s):
    text = (k8s.deploy / "docker" / dockerfile).read_text()
    assert re.search(r"^\s+TGD_ENV=production", text, re.M)

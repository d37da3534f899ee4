"""Each process that exists in this tree, started as its container starts it (command and
arguments of the Kubernetes Deployment) with exactly the environment the dev overlay
gives it, becomes healthy. Only what names the cluster is pointed at this machine: the
broker host and vhost (the test's throwaway vhost), MongoDB (a loopback port where none
listens: this machine has no MongoDB, the log shows the URI was taken), the collector (a
local OTLP/HTTP receiver) and listening addresses (loopback, free ports)."""

import base64
import os
import re
import secrets
import signal
import socket
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from tgd_servicekit.testing.processes import BIN, free_port, wait_until

pytestmark = pytest.mark.e2e


class OtlpReceiver:
    """Records the paths of OTLP/HTTP exports it receives."""

    def __init__(self):
        self.paths: list[str] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def otlp():
    receiver = OtlpReceiver()
    yield receiver
    receiver.server.shutdown()


def production_secrets() -> dict[tuple[str, str], str]:
    """Fresh real-looking values for the Secrets the manifests reference (none is a development key)."""
    b64 = lambda n: base64.b64encode(os.urandom(n)).decode()  # noqa: E731
    return {
        ("tgd-field-keys", "field-keys"): f"k1:{b64(32)}",
        ("tgd-field-keys", "active-key-id"): "k1",
        ("tgd-field-keys", "blind-index-key"): b64(32),
        ("tgd-gateway", "jwt-secret"): secrets.token_urlsafe(48),
        ("tgd-gateway", "audit-key"): secrets.token_urlsafe(48),
        ("tgd-evidence-signing", "signing-key"): f"test-{secrets.token_hex(4)}:{b64(32)}",
    }


def closed_port() -> int:
    port = free_port()
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0
    return port


def manifest_process(k8s, docs, name, vhost_uri, otlp):
    """(argv, env) of the Deployment's container, pointed at this machine."""
    broker = urlsplit(vhost_uri)
    secrets = {
        **production_secrets(),
        ("tgd-rabbitmq-services", "username"): broker.username,
        ("tgd-rabbitmq-services", "password"): broker.password,
        ("tgd-mongodb-app", "connectionString.standard"): (
            f"mongodb://tgd-app:fictive@127.0.0.1:{closed_port()}/admin?replicaSet=tgd-mongodb&serverSelectionTimeoutMS=500"
        ),
    }
    env = k8s.container_env(docs, name, secrets)
    uri = urlsplit(env["AMQP_URI"])
    assert (uri.hostname, uri.port, uri.path) == ("tgd-rabbitmq", 5672, "/tgd")
    netloc = f"{uri.username}:{uri.password}@{broker.hostname}:{broker.port}"
    env["AMQP_URI"] = urlunsplit((uri.scheme, netloc, broker.path, "", ""))
    env["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp.endpoint
    for key in ("TGD_HEALTH_HOST", "TGD_GATEWAY_HOST"):
        if key in env:
            env[key] = "127.0.0.1"
    if "TGD_GATEWAY_DATA_DIR" in env:  # the volumes' paths, on this machine: a temporary directory
        data = tempfile.mkdtemp(prefix="tgd-manifest-gateway-")
        env["TGD_GATEWAY_DATA_DIR"] = data
        env["TGD_GATEWAY_AUDIT_ANCHOR"] = f"{data}/anchor/audit.head.json"
    container = k8s.one(docs, "Deployment", name)["spec"]["template"]["spec"]["containers"][0]
    argv = [str(BIN / "tgd-service"), *container["args"]] if "args" in container else [str(BIN / "python"), "-m", name]
    return argv, env


def test_a_service_becomes_healthy_with_the_manifests_environment(service, k8s, overlays, processes, vhost_uri, otlp):
    argv, env = manifest_process(k8s, overlays["dev"], service, vhost_uri, otlp)
    assert argv[1:] == [service]
    port = free_port()
    env["TGD_HEALTH_PORT"] = str(port)
    processes.env = {"PATH": str(BIN), **env}  # nothing but what the manifest passes
    proc = processes.start(service, argv)
    health = f"http://127.0.0.1:{port}/health"

    body = wait_until(
        lambda: httpx.get(f"{health}/ready").status_code == 200 and httpx.get(f"{health}/ready").json(),
        45,
        f"{service} ready",
    )
    assert body == {"status": "ok", "broker": "reachable"}
    assert httpx.get(f"{health}/live").status_code == 200
    assert re.search(r"database \S+: MongoDB \(configured URI\)", processes.log(service))
    assert "in-memory" not in processes.log(service)

    proc.send_signal(signal.SIGTERM)  # as Kubernetes stops a pod: a graceful stop, exit 0
    assert proc.wait(20) == 0, processes.log(service)


def test_the_gateway_becomes_healthy_and_exports_traces_with_the_manifests_environment(
    k8s, overlays, processes, vhost_uri, otlp
):
    argv, env = manifest_process(k8s, overlays["dev"], "gateway", vhost_uri, otlp)
    assert argv[1:] == ["-m", "gateway"]
    port = free_port()
    env["TGD_GATEWAY_PORT"] = str(port)
    processes.env = {"PATH": str(BIN), **env}
    processes.start("gateway", argv)
    base = f"http://127.0.0.1:{port}"

    wait_until(lambda: httpx.get(f"{base}/health").status_code == 200, 45, "the gateway healthy")
    assert httpx.get(f"{base}/health").json() == {"status": "ok", "broker": "reachable"}
    # The manifests sample other traces at 0.1, the alert path always: a request on an alert
    # route (refused here: no token) is traced whatever the ratio.
    assert httpx.get(f"{base}/v1/alerts").status_code == 401
    wait_until(lambda: "/v1/traces" in otlp.paths, 20, "the gateway's spans at the OTLP endpoint")

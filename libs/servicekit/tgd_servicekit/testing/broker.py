"""Finding a RabbitMQ broker for tests, and throwaway virtual hosts on it.

Order: ``TGD_TEST_AMQP_URI`` (with ``TGD_TEST_RABBIT_API`` for its management API),
else the local broker at 127.0.0.1:5672, else a testcontainers RabbitMQ when a Docker
engine answers, else a clear failure. Never a silent skip: a broker suite that cannot
find a broker fails.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

import requests

LOCAL_AMQP = "pyamqp://guest:guest@127.0.0.1:5672/"
LOCAL_API = "http://127.0.0.1:15672"


@dataclass(frozen=True)
class Broker:
    amqp_uri: str  # of the default vhost
    api_url: str  # management API, e.g. http://127.0.0.1:15672
    user: str
    password: str

    def uri_for_vhost(self, vhost: str) -> str:
        parts = urlsplit(self.amqp_uri)
        return urlunsplit((parts.scheme, parts.netloc, "/" + quote(vhost, safe=""), "", ""))

    def create_vhost(self) -> str:
        vhost = f"tgd-test-{uuid.uuid4().hex[:12]}"
        auth = (self.user, self.password)
        name = quote(vhost, safe="")
        requests.put(f"{self.api_url}/api/vhosts/{name}", auth=auth, timeout=10).raise_for_status()
        requests.put(
            f"{self.api_url}/api/permissions/{name}/{quote(self.user, safe='')}",
            json={"configure": ".*", "write": ".*", "read": ".*"},
            auth=auth,
            timeout=10,
        ).raise_for_status()
        return vhost

    def delete_vhost(self, vhost: str) -> None:
        requests.delete(
            f"{self.api_url}/api/vhosts/{quote(vhost, safe='')}", auth=(self.user, self.password), timeout=10
        )


def port_open(host: str, port: int, timeout: float = 1.0) -> bool:
    with socket.socket() as sock:
        sock.settimeout(timeout)
        return sock.connect_ex((host, port)) == 0


def docker_available() -> bool:
    try:
        import docker

        docker.from_env(timeout=2).ping()
        return True
    except Exception:
        return False


def find_broker() -> tuple[Broker | None, object | None, str]:
    """(broker, container to stop afterwards, explanation)."""
    uri = os.environ.get("TGD_TEST_AMQP_URI")
    if uri:
        parts = urlsplit(uri)
        api = os.environ.get("TGD_TEST_RABBIT_API", f"http://{parts.hostname}:15672")
        return Broker(uri, api, parts.username or "guest", parts.password or "guest"), None, "TGD_TEST_AMQP_URI"
    if port_open("127.0.0.1", 5672):
        if not port_open("127.0.0.1", 15672):
            return (
                None,
                None,
                (
                    "RabbitMQ answers on 127.0.0.1:5672 but its management API (15672) does not: "
                    "run `rabbitmq-plugins enable rabbitmq_management` (scripts/setup.sh does)."
                ),
            )
        return Broker(LOCAL_AMQP, LOCAL_API, "guest", "guest"), None, "local RabbitMQ"
    if docker_available():
        from testcontainers.rabbitmq import RabbitMqContainer

        container = RabbitMqContainer("rabbitmq:3.13-management").start()
        host = container.get_container_host_ip()
        amqp_port = container.get_exposed_port(5672)
        api_port = container.get_exposed_port(15672)
        broker = Broker(f"pyamqp://guest:guest@{host}:{amqp_port}/", f"http://{host}:{api_port}", "guest", "guest")
        return broker, container, "testcontainers RabbitMQ"
    return (
        None,
        None,
        (
            "No RabbitMQ for the broker suites: set TGD_TEST_AMQP_URI, start one locally "
            "(scripts/setup.sh installs and starts it), or provide a Docker engine for testcontainers."
        ),
    )

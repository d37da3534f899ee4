"""Partner broker users on the real local broker (a throwaway vhost, throwaway users
deleted afterwards): a partner reads only its own dispatches."""

from __future__ import annotations

from urllib.parse import unquote

import amqp
import pytest
import requests
from amqp.exceptions import AccessRefused, NotAllowed

from tgd_contracts.partners import PARTNER_EXCHANGE, Audience
from tgd_servicekit.partner_access import ManagementApi, PartnerAccount
from tgd_servicekit.testing.processes import wait_until

pytestmark = pytest.mark.integration
POLICE_03 = PartnerAccount(Audience.POLICE, "03")
POLICE_75 = PartnerAccount(Audience.POLICE, "75")
GENDARMERIE_03 = PartnerAccount(Audience.GENDARMERIE, "03")
UNIT = PartnerAccount(Audience.POLICE, "03", "csp-montlucon")


@pytest.fixture
def partners(broker, vhost_uri):
    vhost = unquote(vhost_uri.rsplit("/", 1)[1])
    api = ManagementApi(broker.api_url, broker.user, broker.password)
    passwords = {}
    try:
        for account in (POLICE_03, POLICE_75, GENDARMERIE_03, UNIT):
            passwords[account] = api.provision(account, vhost)

        def connect(account):
            conn = amqp.Connection("127.0.0.1:5672", userid=account.username, password=passwords[account],
                                   virtual_host=vhost)  # fmt: skip
            conn.connect()
            return conn

        yield connect, vhost
    finally:
        for account in passwords:
            api.remove(account)
        for account in passwords:  # really gone
            gone = requests.get(f"{broker.api_url}/api/users/{account.username}", auth=api.auth, timeout=10)
            assert gone.status_code == 404


def own_queue(channel, account, name="inbox"):
    queue = f"{account.queue_prefix}.{name}"
    channel.queue_declare(queue, durable=False, auto_delete=False, exclusive=False)
    return queue


def refused(conn, action):
    channel = conn.channel()
    with pytest.raises((AccessRefused, NotAllowed)):
        action(channel)


def test_a_police_user_binds_its_own_keys_only(partners):
    connect, _ = partners
    with connect(POLICE_03) as conn:
        channel = conn.channel()
        queue = own_queue(channel, POLICE_03)
        channel.queue_bind(queue, PARTNER_EXCHANGE, "police.03.#")
        channel.queue_bind(queue, PARTNER_EXCHANGE, "police.03.csp-montlucon.*")
        for key in ("gendarmerie.03.#", "#", "police.#", "police.75.#", "*.03.#", "police.*.csp-montlucon.*"):
            refused(conn, lambda ch, key=key: ch.queue_bind(queue, PARTNER_EXCHANGE, key))


def test_a_unit_binds_only_its_unit(partners):
    connect, _ = partners
    with connect(UNIT) as conn:
        queue = own_queue(conn.channel(), UNIT)
        conn.channel().queue_bind(queue, PARTNER_EXCHANGE, "police.03.csp-montlucon.*")
        refused(conn, lambda ch: ch.queue_bind(queue, PARTNER_EXCHANGE, "police.03.#"))
        refused(conn, lambda ch: ch.queue_bind(queue, PARTNER_EXCHANGE, "police.03.csp-moulins.*"))


def test_a_partner_cannot_read_or_bind_another_territorys_queue_nor_publish(partners):
    connect, _ = partners
    with connect(POLICE_75) as paris:
        paris_queue = own_queue(paris.channel(), POLICE_75)
        with connect(POLICE_03) as allier:
            refused(allier, lambda ch: ch.basic_get(paris_queue))
            refused(allier, lambda ch: ch.basic_consume(paris_queue, callback=lambda m: None))
            refused(allier, lambda ch: ch.queue_bind(paris_queue, PARTNER_EXCHANGE, "police.03.#"))
            refused(allier, lambda ch: ch.queue_declare("someone-else", durable=False))
            refused(allier, lambda ch: ch.queue_delete(paris_queue))

            def publish(ch):
                ch.confirm_select()
                ch.basic_publish(amqp.Message(b"{}"), exchange=PARTNER_EXCHANGE, routing_key="police.03.x.dispatch")
                ch.basic_get(f"{POLICE_03.queue_prefix}.nothing")  # forces the broker's answer

            refused(allier, publish)


@pytest.mark.no_bus_observer("broker permissions: raw probes on partner keys, the observer's queue would receive them")
def test_each_partner_receives_only_its_dispatches(partners, vhost_uri):
    connect, _ = partners
    with connect(POLICE_03) as police, connect(GENDARMERIE_03) as gendarmerie:
        p_channel, g_channel = police.channel(), gendarmerie.channel()
        p_queue, g_queue = own_queue(p_channel, POLICE_03), own_queue(g_channel, GENDARMERIE_03)
        p_channel.queue_bind(p_queue, PARTNER_EXCHANGE, "police.03.#")
        g_channel.queue_bind(g_queue, PARTNER_EXCHANGE, "gendarmerie.03.#")
        with amqp.Connection("127.0.0.1:5672", userid="guest", password="guest",
                             virtual_host=unquote(vhost_uri.rsplit("/", 1)[1])) as admin:  # fmt: skip
            admin.connect()
            channel = admin.channel()
            for key in (
                "police.03.csp-montlucon.dispatch",
                "gendarmerie.03.bta-cusset.dispatch",
                "police.75.x.dispatch",
            ):
                channel.basic_publish(amqp.Message(key.encode()), exchange=PARTNER_EXCHANGE, routing_key=key)
        wait_until(lambda: p_channel.queue_declare(p_queue, passive=True).message_count, 5, "the dispatch")

        def drain(channel, queue):
            bodies = []
            while (message := channel.basic_get(queue, no_ack=True)) is not None:
                bodies.append(message.body.decode())
            return bodies

        assert drain(p_channel, p_queue) == ["police.03.csp-montlucon.dispatch"]
        assert drain(g_channel, g_queue) == ["gendarmerie.03.bta-cusset.dispatch"]


def test_account_names_and_permissions_are_derived_from_the_routing_keys():
    assert UNIT.username == "partner-police-03-csp-montlucon"
    assert UNIT.binding == "police.03.csp-montlucon.*"
    assert POLICE_03.topic_permissions()["read"] == r"^police\.03\..+$"
    with pytest.raises(ValueError):
        PartnerAccount(Audience.POLICE, "03.#")

"""Partner broker users as ``tgd broker provision-partner`` creates them, on the real
local broker (a throwaway vhost, throwaway users deleted afterwards): a user reads its
own queue and answers with its own keys, and nothing else — not another unit's queue,
not a reply in another unit's name, no declaring, binding or publishing to partners."""

from __future__ import annotations

from urllib.parse import unquote

import amqp
import pytest
import requests
from amqp.exceptions import AccessRefused, NotAllowed, NotFound

from tgd_contracts.partners import PARTNER_EXCHANGE, PARTNER_REPLY_EXCHANGE, Audience
from tgd_servicekit.partner_access import ManagementApi, PartnerAccount
from tgd_servicekit.testing.processes import wait_until

pytestmark = pytest.mark.integration
MONTLUCON = PartnerAccount(Audience.POLICE, "03", "csp-montlucon")
MOULINS = PartnerAccount(Audience.POLICE, "03", "csp-moulins")
GENDARMERIE = PartnerAccount(Audience.GENDARMERIE, "03", "ggd-03")
COMMAND = PartnerAccount(Audience.COMMAND, "03")
ACCOUNTS = (MONTLUCON, MOULINS, GENDARMERIE, COMMAND)


@pytest.fixture
def partners(broker, vhost_uri):
    vhost = unquote(vhost_uri.rsplit("/", 1)[1])
    api = ManagementApi(broker.api_url, broker.user, broker.password)
    passwords = {}
    try:
        for account in ACCOUNTS:
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


def refused(conn, action):
    channel = conn.channel()
    with pytest.raises((AccessRefused, NotAllowed, NotFound)):
        action(channel)


def publish_confirmed(exchange, key):
    def publish(channel):
        channel.confirm_select()
        channel.basic_publish(amqp.Message(b"{}", delivery_mode=2), exchange=exchange, routing_key=key)
        channel.basic_get(f"{MONTLUCON.queue}")  # a round trip: the broker's refusal arrives before it

    return publish


@pytest.mark.no_bus_observer("raw probes on partner keys with bodies that are not CloudEvents")
def test_a_provisioned_unit_reads_its_queue_and_answers_with_its_own_keys(partners):
    connect, _ = partners
    with connect(MONTLUCON) as conn:
        channel = conn.channel()
        assert channel.queue_declare(MONTLUCON.queue, passive=True).queue == MONTLUCON.queue  # declared for it
        assert channel.basic_get(MONTLUCON.queue) is None
        for kind in ("acknowledgement", "notice-acknowledgement", "outcome"):
            publish_confirmed(PARTNER_REPLY_EXCHANGE, f"police.03.csp-montlucon.{kind}")(channel)


def test_a_unit_cannot_read_another_units_queue_nor_answer_in_its_name(partners):
    connect, _ = partners
    with connect(MONTLUCON) as conn:
        refused(conn, lambda ch: ch.basic_get(MOULINS.queue))
        refused(conn, lambda ch: ch.basic_consume(MOULINS.queue, callback=lambda m: None))
        refused(conn, lambda ch: ch.basic_get(COMMAND.queue))
        for key in (
            "police.03.csp-moulins.acknowledgement",  # another unit
            "gendarmerie.03.ggd-03.notice-acknowledgement",  # another force
            "command.03.any.acknowledgement",  # the command centre
            "police.03.csp-montlucon.x.acknowledgement",  # a key that is not of the scheme
        ):
            refused(conn, publish_confirmed(PARTNER_REPLY_EXCHANGE, key))


def test_a_partner_declares_binds_and_deletes_nothing_and_never_publishes_to_partners(partners):
    connect, _ = partners
    with connect(MONTLUCON) as conn:
        refused(conn, publish_confirmed(PARTNER_EXCHANGE, "police.03.csp-montlucon.dispatch"))
        refused(conn, lambda ch: ch.queue_declare("partner.police.03.csp-montlucon.extra", durable=True))
        refused(conn, lambda ch: ch.queue_bind(MONTLUCON.queue, PARTNER_EXCHANGE, "police.03.#"))
        refused(conn, lambda ch: ch.queue_bind(MONTLUCON.queue, PARTNER_EXCHANGE, "police.03.csp-montlucon.*"))
        refused(conn, lambda ch: ch.exchange_declare("tgd.mine", "topic"))
        refused(conn, lambda ch: ch.queue_delete(MONTLUCON.queue))
        refused(conn, lambda ch: ch.queue_purge(MOULINS.queue))


@pytest.mark.no_bus_observer("raw probes on partner keys with bodies that are not CloudEvents")
def test_each_addressee_receives_only_what_is_addressed_to_it(partners, vhost_uri):
    connect, vhost = partners
    keys = (
        "police.03.csp-montlucon.dispatch",
        "police.03.csp-moulins.notice",
        "gendarmerie.03.ggd-03.escalation",
        "command.03.any.escalation",
        "police.75.csp-montlucon.dispatch",
    )
    with amqp.Connection("127.0.0.1:5672", userid="guest", password="guest", virtual_host=vhost) as admin:
        admin.connect()
        channel = admin.channel()
        for key in keys:  # the platform's side
            channel.basic_publish(amqp.Message(key.encode()), exchange=PARTNER_EXCHANGE, routing_key=key)
    received = {}
    for account in ACCOUNTS:
        with connect(account) as conn:
            channel = conn.channel()
            wait_until(lambda ch=channel, a=account: ch.queue_declare(a.queue, passive=True).message_count, 5, "mail")
            bodies = []
            while (message := channel.basic_get(account.queue, no_ack=True)) is not None:
                bodies.append(message.body.decode())
            received[account] = bodies
    assert received == {
        MONTLUCON: ["police.03.csp-montlucon.dispatch"],
        MOULINS: ["police.03.csp-moulins.notice"],
        GENDARMERIE: ["gendarmerie.03.ggd-03.escalation"],
        COMMAND: ["command.03.any.escalation"],
    }


def test_account_names_queues_and_permissions_are_derived_from_the_routing_keys():
    assert MONTLUCON.username == "partner-police-03-csp-montlucon"
    assert MONTLUCON.queue == "partner.police.03.csp-montlucon"
    assert MONTLUCON.binding == "police.03.csp-montlucon.*"
    assert COMMAND.queue == "partner.command.03.any"
    assert MONTLUCON.permissions() == {
        "configure": "^$",
        "write": r"^tgd\.partner-replies$",
        "read": r"^partner\.police\.03\.csp-montlucon$",
    }
    with pytest.raises(ValueError):
        PartnerAccount(Audience.POLICE, "03.#")

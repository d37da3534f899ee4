"""Publishing what was just stored: the publishers of a change start before the caller
goes on (under eventlet, as in a service), and each result stays with its message."""

import eventlet

from tgd_servicekit.outbox_publish import in_green_threads, started


def test_the_publishers_send_before_the_caller_goes_on_and_their_confirms_come_later():
    order = []
    confirms = eventlet.event.Event()

    def publish(name):
        order.append(f"sent {name}")
        confirms.wait()  # the broker's confirm
        return f"confirmed {name}"

    results = []
    started(eventlet.spawn_n)(lambda: results.extend(in_green_threads(publish, ["centre", "police", "association"])))
    order.append("caller answers")
    confirms.send(True)
    eventlet.sleep(0.01)
    assert order == ["sent centre", "sent police", "sent association", "caller answers"]
    assert results == ["confirmed centre", "confirmed police", "confirmed association"]


def test_without_started_the_caller_would_go_first():
    order = []
    eventlet.spawn_n(lambda: in_green_threads(lambda name: order.append(f"sent {name}"), ["centre"]))
    order.append("caller answers")
    eventlet.sleep(0.01)
    assert order == ["caller answers", "sent centre"]

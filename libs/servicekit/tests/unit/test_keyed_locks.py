"""One lock per key: the holders of one key take turns, other keys do not wait, a holder
may take its own key again, and nothing is kept once everyone is done."""

import threading

from tgd_servicekit.keyed_locks import KeyedLocks


def test_holders_of_one_key_take_turns_and_another_key_does_not_wait():
    locks = KeyedLocks()
    first_in, release_first, order = threading.Event(), threading.Event(), []

    def first():
        with locks.hold("alert-1"):
            first_in.set()
            release_first.wait(5)
            order.append("first done")

    def second():
        with locks.hold("alert-1"):
            order.append("second in")

    one = threading.Thread(target=first)
    one.start()
    first_in.wait(5)
    two = threading.Thread(target=second)
    two.start()
    with locks.hold("alert-2"):  # another alert: not held up by alert-1's holder
        order.append("other key")
    release_first.set()
    one.join(5)
    two.join(5)
    assert order == ["other key", "first done", "second in"]
    assert len(locks) == 0


def test_a_holder_takes_its_own_key_again_and_a_failure_lets_go():
    locks = KeyedLocks()
    with locks.hold("alert-1"), locks.hold("alert-1"):
        assert len(locks) == 1
    try:
        with locks.hold("alert-1"):
            raise ValueError("the change failed")
    except ValueError:
        pass
    assert len(locks) == 0
    done = []

    def take():
        with locks.hold("alert-1"):
            done.append(True)

    worker = threading.Thread(target=take)
    worker.start()
    worker.join(5)
    assert done == [True]  # free again

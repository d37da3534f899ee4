"""The default handler's file after a purge: what was purged is gone from the bytes on
disk, the inbox still knows every id, and the purge command does the same once."""

import json
from datetime import timedelta

from tgd_partner_consumer import JsonLinesHandler
from tgd_partner_consumer.cli import main, periodic_purge

from .messages import AUTHOR, RAISED, SURNAME, dispatch, notice

HOUR = timedelta(hours=1)


class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


def test_a_purge_rewrites_the_file_and_the_inbox_keeps_the_ids(tmp_path):
    out, clock = tmp_path / "police.jsonl", Clock(RAISED)
    handler = JsonLinesHandler(out, clock=clock)
    first = dispatch()
    handler(first)
    assert "46.3401" in out.read_text()
    clock.now = RAISED + 72 * HOUR
    assert handler.purge().positions == 1
    assert "46.3401" not in out.read_bytes().decode()
    handler(first)  # redelivered after the purge: still a duplicate
    handler(notice())  # and the file is still appended to
    lines = out.read_text().splitlines()
    assert len(lines) == 2
    assert json.loads(lines[0])["purged"] == ["position"]
    assert [p.name for p in tmp_path.iterdir()] == ["police.jsonl"]  # no temporary file left
    handler.close()
    restarted = JsonLinesHandler(out, clock=clock)
    restarted(first)  # a restarted consumer reads the ids back from the purged file
    assert len(out.read_text().splitlines()) == 2


def test_the_end_of_the_measure_purges_the_dossier_at_once(tmp_path):
    out = tmp_path / "police.jsonl"
    handler = JsonLinesHandler(out, clock=Clock(RAISED + HOUR))
    handler(notice())
    handler(dispatch())
    assert SURNAME in out.read_text()
    assert AUTHOR in out.read_text()
    handler(notice("measure_ended", sent_at=RAISED + HOUR))
    content = out.read_bytes().decode()
    assert SURNAME not in content
    assert AUTHOR not in content
    assert len(content.splitlines()) == 3


def test_the_purge_command_purges_a_file_once(tmp_path, capsys):
    out = tmp_path / "police.jsonl"
    handler = JsonLinesHandler(out, clock=Clock(RAISED))
    handler(dispatch())
    handler.close()
    main(["purge", str(out), "--now", (RAISED + 71 * HOUR).isoformat()])
    assert "46.3401" in out.read_text()
    main(["purge", str(out), "--now", (RAISED + 72 * HOUR).isoformat()])
    assert "46.3401" not in out.read_text()
    assert "purged: 1 position(s), 0 dossier(s)" in capsys.readouterr().out


def test_the_consumer_purges_its_file_before_consuming(tmp_path):
    out = tmp_path / "police.jsonl"
    handler = JsonLinesHandler(out, clock=Clock(RAISED))
    handler(dispatch())
    handler.close()
    restarted = JsonLinesHandler(out, clock=Clock(RAISED + 80 * HOUR))  # stopped for three days
    stop = periodic_purge(restarted, 3600)
    stop.set()
    assert "46.3401" not in out.read_text()

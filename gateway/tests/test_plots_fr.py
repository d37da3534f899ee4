"""The observatory's plots in French (``?lang=fr``, what the operator console shows):
every drawn text translated, the same "<5" marks as in English."""

from __future__ import annotations

import asyncio
import re
from datetime import date

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from gateway import plots, plots_fr
from gateway.observatory_stats import gather_statistics
from gateway.plots import PlotName
from tgd_contracts.statistics import StatisticsQuery
from tgd_testkit.fake_services import FakeServices


def drawn_texts(fig) -> list[str]:
    FigureCanvasAgg(fig).draw()  # the tick labels exist once drawn
    return [t.get_text().strip() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


@pytest.mark.parametrize("name", list(PlotName))
def test_the_plots_in_french_have_no_english_text_left(name):
    query = StatisticsQuery(jurisdiction="tj-moulins", starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30))
    stats = asyncio.run(gather_statistics(FakeRpcOf(FakeServices()), query))
    english = drawn_texts(plots.figure(name, stats))
    french = drawn_texts(plots.figure(name, stats, "fr"))
    assert len(french) == len(english)
    untranslated = {t for t in french if t in plots_fr.FRENCH and plots_fr.FRENCH[t] != t}
    assert untranslated == set()
    for shown in french:
        assert not re.search(r"\b(to|samples|devices now|count|by reason|seconds)\b", shown), shown
    assert any(re.search(r", du \d\d/\d\d/2026 au 30/06/2026$", t) for t in french), french
    assert [t for t in english if t.startswith("<")] == [t for t in french if t.startswith("<")]  # same "<5"


class FakeRpcOf:
    def __init__(self, fake: FakeServices):
        self.fake = fake

    async def call(self, service: str, method: str, **kwargs):
        return self.fake.handlers[(service, method)](**kwargs)

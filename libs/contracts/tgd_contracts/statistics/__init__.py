"""The statistics (observatoire, seed 001 actions 11 and 16; the parquet's and the
steering committee's exact figures), pure:

- :mod:`.period`: the query; days are Europe/Paris calendar days;
- :mod:`.figures`: exact figures of one court, computed by each service, and their sums;
- :mod:`.published`: the anonymised models and the suppression rules (small counts);
- :mod:`.anonymise`: exact figures -> published ones, and the cross-service suppression;
- :mod:`.court`: a court's exact figures beside its department's totals.
"""

from tgd_contracts.statistics.anonymise import LINKED, ObservatoryStatistics, link_suppression, observatory  # noqa: F401
from tgd_contracts.statistics.court import CourtFigures, CourtStatistics, court_statistics, department_totals  # noqa: F401
from tgd_contracts.statistics.figures import (  # noqa: F401 (re-exported)
    AlertFigures,
    DeviceFigures,
    EvaluationFigures,
    ExactDelay,
    ReferralFigures,
    exact_delay,
    tally,
    total,
)
from tgd_contracts.statistics.period import (  # noqa: F401 (re-exported)
    MAX_PERIOD_DAYS,
    PARIS,
    TIMEZONE,
    StatisticsQuery,
    paris_day,
    paris_midnight,
)
from tgd_contracts.statistics.published import (  # noqa: F401 (re-exported)
    SMALL_COUNT_THRESHOLD,
    AlertStatistics,
    Breakdown,
    Count,
    Delay,
    DeviceStatistics,
    EvaluationStatistics,
    Period,
    ReferralStatistics,
    Stock,
    breakdown,
    count,
    delay,
    percentile,
    seconds_between,
)

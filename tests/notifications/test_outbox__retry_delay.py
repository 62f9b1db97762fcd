"""Retry delays grow exponentially, are capped, and are jittered."""

import pytest

from notifications.services.delivery import retry_delay


def test_delays_double_within_the_jitter_band(settings):
    settings.NOTIFICATIONS_RETRY_BASE = 60
    settings.NOTIFICATIONS_RETRY_CAP = 3600
    for attempts, nominal in ((1, 60), (2, 120), (3, 240), (4, 480)):
        delays = {retry_delay(attempts) for _ in range(50)}
        assert all(0.5 * nominal <= d <= 1.5 * nominal for d in delays)
        assert len(delays) > 1  # jittered, so workers do not retry in lockstep


def test_delays_stop_growing_at_the_cap(settings):
    settings.NOTIFICATIONS_RETRY_BASE = 60
    settings.NOTIFICATIONS_RETRY_CAP = 3600
    assert all(retry_delay(20) <= 1.5 * 3600 for _ in range(50))


pytestmark = pytest.mark.filterwarnings("error")

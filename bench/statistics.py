"""The statistics page with 100,000 tasks (issue 6, item 5).

The tracking issue that builds the statistics page has not landed, so there is nothing to
measure yet: the benchmark says so instead of inventing a page.
"""

from .harness import Measure, Profile


def run(profile: Profile):
    yield Measure(
        "statistics.page", None, "ms", params={"tasks": 100_000, "profile": profile.name},
        skipped="tracking issue not landed",
    )

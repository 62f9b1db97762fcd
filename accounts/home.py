"""The home dashboard's cards: each app adds what a person should see first.

Settings `HOME_CARDS` lists dotted paths of providers. A provider takes the request and
returns an iterable of `HomeCard` (possibly empty: a card only for the people it concerns);
it reads through its app's selectors, so the counts are scoped to the person's agency.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class HomeCard:
    """One figure on the home page, e.g. "Việc chờ xử lý: 3" linking to the inbox."""

    title: str
    value: int | str
    url: str = ""
    icon: str = "assignment"
    note: str = ""
    # Cards with the lowest order come first; apps pick theirs (inbox 10, overdue 20…).
    order: int = 100


HomeCardProvider = Callable[[HttpRequest], Iterable[HomeCard]]


def home_cards(request: HttpRequest) -> list[HomeCard]:
    """Every card the providers of settings.HOME_CARDS give for this request, in order."""
    cards = []
    for dotted_path in settings.HOME_CARDS:
        provider: HomeCardProvider = import_string(dotted_path)
        cards.extend(provider(request))
    return sorted(cards, key=lambda card: card.order)

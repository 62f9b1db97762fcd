"""Page-numbered lists: `?page=2&page_size=50` (at most 100 a page), in a stable order."""

import functools

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework.pagination import PageNumberPagination

# A search counts its matches up to here: an exact count of a common word's 30,000 matches
# costs more than the page itself, and nobody pages past the thousandth.
COUNT_CAP = 1000


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class CappedPaginator(Paginator):
    """Counts up to COUNT_CAP + 1, and sorts ids only: a page's rows are read by id after.

    Sorting the matches with every column and join (bodies of a few KB each) costs several
    times sorting their ids; the rows of the page are then 20 lookups by primary key.
    """

    @cached_property
    def count(self) -> int:
        """The number of rows, or COUNT_CAP + 1 for more (a COUNT over a LIMIT, unsorted)."""
        return self.object_list.order_by()[: COUNT_CAP + 1].count()

    def __init__(self, object_list, per_page, *, rows, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.rows = rows

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:bottom + self.per_page])
        # Read by id alone: checking the search again on the page's rows reads their text.
        rows = {row.pk: row for row in self.rows(ids)}
        return self._get_page([rows[pk] for pk in ids], number, self)


class CappedPagination(Pagination):
    """Pages of the first COUNT_CAP results; `count_more` says there are more than `count`."""

    def paginate_queryset(self, queryset, request, view=None):
        """`view.page_rows(ids)` reads a page's rows (with what the list shows) by id."""
        self.django_paginator_class = functools.partial(CappedPaginator, rows=view.page_rows)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        counted = self.page.paginator.count
        response.data["count"] = min(counted, COUNT_CAP)
        response.data["count_more"] = counted > COUNT_CAP
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["count_more"] = {
            "type": "boolean",
            "description": _(
                "More than %(cap)s results (`count` stops there); narrow the search to see "
                "the rest."
            ) % {"cap": COUNT_CAP},
        }
        paginated["required"] = [*paginated.get("required", []), "count_more"]
        return paginated

"""Page-numbered lists: `?page=2&page_size=50` (at most 100 a page), in a stable order."""

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
    @cached_property
    def count(self) -> int:
        """The number of rows, or COUNT_CAP + 1 for more (a COUNT over a LIMIT)."""
        return self.object_list[: COUNT_CAP + 1].count()


class CappedPagination(Pagination):
    """Pages of the first COUNT_CAP results; `count_more` says there are more than `count`."""

    django_paginator_class = CappedPaginator

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

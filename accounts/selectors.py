"""Reads about agencies and people, and the agency scoping every other selector uses.

Rule: a person sees only their own agency's data. Every list or detail that views, the API
or reports show goes through `scope_to_agency` (or a selector built on it), every single
object through `in_user_agency`, and every write on behalf of an agency checks
`works_in_agency`: this module is the one place that decides which agency a person sees
(tests/accounts/test_scoping__one_place.py fails on a copy elsewhere).
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.text import slugify

from .models import Agency, Unit, User


def user_agency_id(user: User) -> int | None:
    """The agency `user` works for: None for an anonymous visitor and for anyone outside
    every agency (a system administrator, say)."""
    if not user.is_authenticated:
        return None
    return user.agency_id


def works_in_agency(user: User, agency_id: int | None) -> bool:
    """Whether `agency_id` is the agency `user` works for: the rule for acting on an
    agency's rows (entering its tasks, choosing its units). A superuser gets no exception:
    acting for an agency takes being one of its people."""
    own = user_agency_id(user)
    return own is not None and own == agency_id


def in_user_agency(user: User, agency_id: int | None) -> bool:
    """Whether a row of agency `agency_id` is one `user` may see: `scope_to_agency` for one
    object. A superuser sees every agency; anyone else only their own."""
    return user.is_superuser or works_in_agency(user, agency_id)


def scoped_to_one_agency(user: User) -> bool:
    """Whether `scope_to_agency` leaves `user` one agency's rows: neither a superuser (every
    agency) nor someone outside every agency (none). Only then may a selector narrow further
    by role, unit or person."""
    return not user.is_superuser and user_agency_id(user) is not None


def scope_to_agency(queryset: QuerySet, *, user: User, field: str = "agency") -> QuerySet:
    """Keep the rows whose `field` is the user's agency.

    A superuser (the system administrator) sees every agency; anyone else without an
    agency sees nothing.
    """
    if user.is_superuser:
        return queryset
    agency_id = user_agency_id(user)
    if agency_id is None:
        return queryset.none()
    return queryset.filter(**{field: agency_id})


def agency_list_for(*, user: User) -> QuerySet:
    """The agencies the user may see the data of."""
    return scope_to_agency(Agency.objects.all(), user=user, field="pk")


def unit_list_for(*, user: User) -> QuerySet:
    """Active units of the user's agency."""
    return scope_to_agency(
        Unit.objects.filter(is_active=True).select_related("agency", "head"), user=user
    )


def unit_get_for(*, user: User, pk: int) -> Unit:
    """One unit of the user's agency, or 404 (never 403: other agencies do not exist)."""
    return get_object_or_404(unit_list_for(user=user), pk=pk)


def person_list_for(*, user: User) -> QuerySet:
    """Active people of the user's agency."""
    return scope_to_agency(
        User.objects.filter(is_active=True).select_related("agency", "unit"), user=user
    )


def person_get_for(*, user: User, pk: int) -> User:
    """One person of the user's agency, or 404."""
    return get_object_or_404(person_list_for(user=user), pk=pk)


def recipient_agency_list() -> QuerySet:
    """Agencies on the system a document can be sent to (active, not merged away)."""
    return Agency.objects.filter(is_active=True, merged_into__isnull=True)


# Vietnamese letters that Unicode does not decompose into a base letter and a mark.
_UNDECOMPOSED_LETTERS = str.maketrans({"đ": "d", "Đ": "D"})


def agency_free_code(*, symbol: str, place_name: str, exclude_pk: int | None = None) -> str:
    """A free agency code built from the symbol and the place: “BDT”, “Bắc Giang” → bdt-bac-giang.

    Vietnamese letters are folded to ASCII (đ → d, ắ → a); when the code is taken by another
    agency, a number is appended (bdt-bac-giang-2).
    """
    base = slugify(f"{symbol} {place_name}".translate(_UNDECOMPOSED_LETTERS)) or "agency"
    taken = set(
        Agency.objects.filter(code__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("code", flat=True)
    )
    code, number = base, 1
    while code in taken:
        number += 1
        code = f"{base}-{number}"
    return code

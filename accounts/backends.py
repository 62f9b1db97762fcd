"""guardian's object permissions, each check in one query.

guardian's checker reads the permissions granted to the user on the object, then those
granted to the user's groups: two queries per check ("to avoid a slow query" joining both,
which with a person's few groups and grants on agencies and units is not slow). Here the
same question is one query over both; the answers are guardian's (inactive: never;
superuser: always; a permission of another app than the object's: WrongAppError). The
query is compiled once per kind of object and permission (`common.compiled`): Django
building it took more time than PostgreSQL answering it.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from guardian.backends import ObjectPermissionBackend, check_support
from guardian.core import ObjectPermissionChecker
from guardian.ctypes import get_content_type
from guardian.exceptions import WrongAppError

from common.compiled import CompiledOnce


def _granted(*, shape: tuple, user_id: int, object_pk: str):
    """The permission `shape` (model, codename) on that model's object whose key is
    `object_pk` (as guardian stores it: a text) when granted to the person `user_id` or to
    one of their groups (guardian's own filters)."""
    model, codename = shape
    obj = model(pk=object_pk)
    checker = ObjectPermissionChecker(get_user_model()(pk=user_id))
    return Permission.objects.filter(
        content_type=get_content_type(obj), codename=codename
    ).filter(
        Q(**checker.get_user_filters(obj)) | Q(**checker.get_group_filters(obj))
    ).order_by().only("pk")[:1]


_GRANTED_STATEMENT = CompiledOnce(_granted)


class OneQueryObjectPermissionBackend(ObjectPermissionBackend):
    """guardian's backend, answering `has_perm` on an object in one query (module doc)."""

    def has_perm(self, user_obj, perm, obj=None):
        support, user_obj = check_support(user_obj, obj)
        if not support:
            return False
        app_label, _, codename = perm.rpartition(".")
        ctype = get_content_type(obj)
        if app_label and app_label not in (obj._meta.app_label, ctype.app_label):
            raise WrongAppError(
                f"Passed perm has app label of '{app_label}' while given obj has app label "
                f"'{obj._meta.app_label}' and given obj content_type has app label "
                f"'{ctype.app_label}'"
            )
        if not user_obj.is_active:
            return False
        if user_obj.is_superuser:
            return True
        return bool(_GRANTED_STATEMENT.all(
            shape=(type(obj), codename), user_id=user_obj.pk, object_pk=str(obj.pk)
        ))

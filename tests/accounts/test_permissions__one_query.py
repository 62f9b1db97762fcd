"""An object permission is checked in one query (`accounts.backends`), with guardian's own
answers: granted to the person, to one of their groups, to neither, on another object, for
an inactive person, a superuser, a permission of another app."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guardian.backends import ObjectPermissionBackend
from guardian.exceptions import WrongAppError
from guardian.shortcuts import assign_perm

from accounts.backends import OneQueryObjectPermissionBackend
from accounts.models import User

from ..compiling import statements_compiled

pytestmark = pytest.mark.django_db

PERMS = ("accounts.register_incoming", "register_incoming", "accounts.issue_outgoing",
         "accounts.sign_outgoing", "accounts.handle_unit_work")


def test_the_answers_are_guardians(world):
    bdt, hu = world.agency("bdt-bac-giang"), world.agency("hu-luc-nam")
    unit = world.unit("bdt-bac-giang", "HCTH")
    granted = world.user("tuan.nq")
    assign_perm("accounts.register_incoming", granted, bdt)
    inactive = world.user("mai.ht")
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    inactive.refresh_from_db()
    superuser = User.objects.create_superuser("quantri", password="x")
    people = [granted, inactive, superuser, world.user("quyen.vt"), world.user("lan.tt"),
              world.user("vanthu.hu")]
    ours, guardians = OneQueryObjectPermissionBackend(), ObjectPermissionBackend()
    for person in people:
        for obj in (bdt, hu, unit):
            for perm in PERMS:
                with CaptureQueriesContext(connection) as queries:
                    answer = ours.has_perm(person, perm, obj)
                assert len(queries) <= 1
                assert answer == guardians.has_perm(person, perm, obj), (person, perm, obj)
    # The sample holds both answers: a grant, and the same person elsewhere or inactive.
    assert ours.has_perm(granted, "accounts.register_incoming", bdt) is True
    assert ours.has_perm(granted, "accounts.register_incoming", hu) is False
    assert ours.has_perm(inactive, "accounts.register_incoming", bdt) is False
    assert ours.has_perm(superuser, "accounts.sign_outgoing", hu) is True
    with pytest.raises(WrongAppError):
        ours.has_perm(granted, "workflows.register_incoming", bdt)


def test_the_query_is_compiled_once_per_kind_of_object_and_permission(world):
    """Django builds and compiles the check's query at the first check of a permission on
    a kind of object; the next checks, of other people and objects, bind their keys to it
    and keep guardian's answers."""
    bdt, hu = world.agency("bdt-bac-giang"), world.agency("hu-luc-nam")
    granted = world.user("tuan.nq")
    assign_perm("accounts.register_incoming", granted, bdt)
    people = [granted, world.user("vanthu.hu"), world.user("lan.tt")]
    ours, guardians = OneQueryObjectPermissionBackend(), ObjectPermissionBackend()
    ours.has_perm(world.user("quyen.vt"), "accounts.register_incoming", hu)
    with statements_compiled() as compiled:
        answers = [
            ours.has_perm(person, "accounts.register_incoming", obj)
            for person in people for obj in (bdt, hu)
        ]
    assert compiled == []
    assert answers == [
        guardians.has_perm(person, "accounts.register_incoming", obj)
        for person in people for obj in (bdt, hu)
    ]
    assert True in answers and False in answers

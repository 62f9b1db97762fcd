"""The owner edits criteria templates and scales in the admin; after an edit the template's
paths follow parents and positions, so a heading still sums the leaves shown under it."""

import pytest

from evaluations.models import TemplateCriterion
from evaluations.services.criteria import template_create, template_paths_rebuild

from .conftest import SMALL_TREE

pytestmark = pytest.mark.django_db


def test_admin_pages_of_evaluations_open(admin_client, bdt_builder, districts):
    campaign = bdt_builder.campaign(agencies=districts)
    for path in (
        "/admin/evaluations/criteriatemplate/",
        f"/admin/evaluations/criteriatemplate/{campaign.template_id}/change/",
        "/admin/evaluations/classificationscale/",
        f"/admin/evaluations/campaign/{campaign.pk}/change/",
    ):
        assert admin_client.get(path).status_code == 200, path


def test_moving_a_leaf_under_another_heading_rebuilds_the_paths(bdt_builder):
    template = template_create(user=bdt_builder.user, agency=bdt_builder.user.agency,
                               name="Bộ tiêu chí", criteria=SMALL_TREE)
    leaf = TemplateCriterion.objects.get(template=template, code="2.1")
    leaf.parent = TemplateCriterion.objects.get(template=template, code="1")
    leaf.position = 3
    leaf.save()

    template_paths_rebuild(template=template)

    paths = dict(template.criteria.values_list("code", "path"))
    assert paths == {"1": "0001.", "1.1": "0001.0001.", "1.2": "0001.0002.",
                     "2.1": "0001.0003.", "2": "0002."}

"""The lists' filter panel names the date filter as the list's column names it (“Đến lúc”),
not by the model's field (“Ngày tạo”): a person filtering by it knows which date it is."""

import re

import pytest

from workflows.flows import IncomingFlow, OutgoingFlow

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("flow_class", [IncomingFlow, OutgoingFlow])
@pytest.mark.parametrize("name", ["queue", "inbox"])
def test_the_date_filter_is_named_as_the_column(client, world, flow_class, name):
    client.force_login(world.user("quyen.vt"))
    html = client.get(flow_class.instance.reverse(name)).content.decode()
    header = re.search(r'data-list-sort-column="arrived">\s*<span>([^<]*)</span>', html)
    label = re.search(r'<vf-field-select id="id_created"[^>]*\slabel="([^"]*)"', html)

    assert header and header.group(1) == "Đến lúc"
    assert label and label.group(1) == "Đến lúc"
    assert "Ngày tạo" not in html

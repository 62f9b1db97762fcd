"""The OpenAPI schema and Swagger UI: served by the project itself, described in Vietnamese."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_the_schema_is_openapi_3_in_vietnamese(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert schema["openapi"].startswith("3.")
    operation = schema["paths"]["/api/v1/documents/"]["get"]
    assert operation["summary"] == "Văn bản"
    q = next(parameter for parameter in operation["parameters"] if parameter["name"] == "q")
    assert "không phân biệt chữ hoa" in q["description"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_swagger_ui_loads_only_the_projects_own_static_files(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn." not in html and "unpkg" not in html
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")

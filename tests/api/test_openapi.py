"""The OpenAPI document validates and matches the routes."""
import re

from openapi_spec_validator import validate


def test_openapi_document_is_valid(client):
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    assert document["openapi"].startswith("3.1")


def test_every_api_route_is_documented_and_every_documented_path_exists(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    documented = set()
    for path, operations in document["paths"].items():
        for method in operations:
            documented.add((method.upper(), path))
    routed = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = rule.rule[len("/api/v1"):] or "/"
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", path)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routed.add((method, path))
    assert routed == documented

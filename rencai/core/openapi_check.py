"""Test helper: check an API response against the platform's own OpenAPI document (as zulip does)."""

from functools import cache

from jsonschema import Draft202012Validator


@cache
def _document() -> dict:
    from rencai.config.api import api

    return api.get_openapi_schema()


def assert_matches_openapi(response, method: str, path: str) -> None:
    """``path`` is the documented template, e.g. "/api/talents/{talent_id}"."""
    doc = _document()
    responses = doc["paths"][path][method.lower()]["responses"]
    documented = responses.get(response.status_code) or responses.get(str(response.status_code))
    assert documented is not None, f"{method} {path}: status {response.status_code} is not documented"
    schema = documented["content"]["application/json"]["schema"]
    # Rooting the schema in the whole document lets "#/components/schemas/..." references resolve;
    # the document's other keys are not JSON Schema keywords and are ignored.
    validator = Draft202012Validator({**doc, **schema})
    errors = sorted(validator.iter_errors(response.json()), key=lambda e: list(e.path))
    assert not errors, f"{method} {path}: {errors[0].message} at {list(errors[0].path)}"


def assert_no_float(value, where: str = "body") -> None:
    """Money is never a JSON number with a fraction: no value anywhere in the body is a float."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert_no_float(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            assert_no_float(item, f"{where}[{i}]")
    else:
        assert not isinstance(value, float), f"{where} is a float: {value!r}"


def checked_body(response, method: str, path: str) -> dict:
    """The response matches the OpenAPI document at ``path`` (a template, e.g. /api/payments/batches/{batch_id})
    and holds no float; its body."""
    assert_matches_openapi(response, method, path)
    body = response.json()
    assert_no_float(body)
    return body


def post_json(client, url: str, body=None):
    return client.post(url, body if body is not None else {}, content_type="application/json")

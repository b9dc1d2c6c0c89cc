"""One schema layer for JSON input: parse the body and check field types."""
from flask import request
from werkzeug.exceptions import BadRequest

from cms.errors import DomainError, ValidationError


class MalformedJSON(DomainError):
    status = 400
    code = "malformed_json"


def json_body(required=()):
    """The request's JSON object; 400 when it is not JSON, 422 when a required field is missing."""
    try:
        data = request.get_json(force=True, silent=False, cache=True)
    except BadRequest:
        raise MalformedJSON("请求体不是合法的 JSON") from None
    if not isinstance(data, dict):
        raise MalformedJSON("请求体必须是 JSON 对象")
    from cms.input_guard import MESSAGE, contains_nul

    if contains_nul(data):
        raise ValidationError(MESSAGE, fields={k: "nul_character" for k, v in data.items() if contains_nul(v)})
    missing = [name for name in required if data.get(name) in (None, "")]
    if missing:
        raise ValidationError(
            f"缺少字段：{', '.join(missing)}", fields={name: "required" for name in missing}
        )
    return data


def expect_types(data, types):
    """Check ``{field: type or tuple}`` for the fields present; 422 naming every wrong field."""
    wrong = {}
    for name, expected in types.items():
        if name in data and data[name] is not None and not isinstance(data[name], expected):
            wrong[name] = "wrong_type"
        if name in data and isinstance(data[name], bool) and expected in (int, (int,)):
            wrong[name] = "wrong_type"
    if wrong:
        raise ValidationError(f"字段类型错误：{', '.join(wrong)}", fields=wrong)

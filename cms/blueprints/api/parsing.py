"""One schema layer for JSON input: parse the body and check field types.

Hostile bodies stop here with a 4xx before any view runs: invalid UTF-8 and unbalanced or deeply nested JSON
(400), and text no database can store -- NUL characters and lone UTF-16 surrogates such as ``"\\ud800"`` --
(422 naming the field).
"""
from flask import request
from werkzeug.exceptions import BadRequest

from cms.errors import DomainError, ValidationError

# No field of this API nests deeper than a list of objects; anything much deeper is an attack on the parser.
MAX_DEPTH = 32


class MalformedJSON(DomainError):
    status = 400
    code = "malformed_json"


def is_bad_text(value):
    """True for text a database cannot store: NUL, or a lone surrogate (not valid Unicode, cannot be UTF-8)."""
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _problem(value):
    """``"too_deep"``, ``"bad_key"``, ``"bad_text"`` or None for a parsed JSON value (iterative: no recursion)."""
    stack = [(value, 1)]
    found = None
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return "too_deep"
        if isinstance(node, str):
            if is_bad_text(node):
                found = found or "bad_text"
        elif isinstance(node, dict):
            for key, child in node.items():
                if is_bad_text(key):
                    return "bad_key"
                stack.append((child, depth + 1))
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
    return found


def json_body(required=()):
    """The request's JSON object; 400 when it is not JSON, 422 when a field is missing or holds bad text."""
    try:
        data = request.get_json(force=True, silent=False, cache=True)
    except BadRequest:
        raise MalformedJSON("请求体不是合法的 JSON（须为 UTF-8 编码）") from None
    except RecursionError:
        raise MalformedJSON(f"JSON 嵌套层数过多（最多 {MAX_DEPTH} 层）") from None
    if not isinstance(data, dict):
        raise MalformedJSON("请求体必须是 JSON 对象")
    problem = _problem(data)
    if problem == "too_deep":
        raise MalformedJSON(f"JSON 嵌套层数过多（最多 {MAX_DEPTH} 层）")
    if problem == "bad_key":
        raise MalformedJSON("字段名含有非法字符")
    if problem == "bad_text":
        from cms.input_guard import MESSAGE, contains_nul

        if contains_nul(data):
            raise ValidationError(MESSAGE, fields={k: "nul_character" for k, v in data.items() if contains_nul(v)})
        bad = {k: "invalid_text" for k, v in data.items() if _problem([v])}
        raise ValidationError("字段含有无效的 Unicode 字符（孤立的代理字符），请检查后重试", fields=bad)
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

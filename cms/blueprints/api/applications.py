"""Applications: filing (public), status by code and contact (public), and the desk's staff endpoints."""
from flask import jsonify, request
from sqlalchemy.orm import joinedload

from cms.applications.masking import applicant_view
from cms.applications.models import Application
from cms.applications.services import (
    desk_organization,
    get_for,
    lookup,
    register_by_staff,
    sees_personal_data,
    submit_online,
    transition,
    visible_filter,
)
from cms.applications.statistics import annual_statistics
from cms.applications.types import OPEN_STATES, STATES
from cms.applications.workflow import desk_org_ids
from cms.blueprints.api import bp
from cms.blueprints.api.auth import Unauthorized, api_user, token_required
from cms.blueprints.api.parsing import expect_types, json_body
from cms.content.columns import site_organization
from cms.errors import DomainError, NotAllowed, NotFound, ValidationError
from cms.extensions import db
from cms.ratelimit import APPLY_BUDGET, STATUS_BUDGET
from cms.workflow.engine import available_transitions, history_of

APPLICATION_FIELDS = ("applicant_type", "applicant_name", "contact_person", "id_type", "id_number", "phone",
                      "email", "address", "delivery", "description", "document_hint")
STAFF_FIELDS = ("channel", "received_on", "organization")
TRANSITION_INPUTS = {"name": str, "comment": str, "section": str, "period": int, "received_on": str,
                     "party": str, "result": str, "result_reason": int, "text": str, "days": int,
                     "confidentiality_checked": bool, "version": int}


def _iso(value):
    return value.isoformat() if value else None


def status_json(a):
    """What the applicant sees (domain.md, "Application JSON")."""
    data = {
        "code": a.code,
        "state": a.state,
        "applicant_type": a.applicant_type,
        "received_on": _iso(a.received_on),
        "due_on": _iso(a.due_on),
        "extended": a.extended,
        "replied_on": _iso(a.replied_on),
    }
    if a.result and a.concluded_on:
        data["result"] = a.result
        data["result_reason"] = a.result_reason
    if a.state == "supplement_requested":
        data["supplement"] = {"notice": a.supplement_notice, "due_on": _iso(a.supplement_due_on)}
    if a.is_test:
        data["test"] = True
    return data


def staff_json(a, user):
    full = sees_personal_data(user, a)
    data = status_json(a)
    data.update({
        "id": a.id,
        "version": a.version,
        "test": a.is_test,
        "channel": a.channel,
        "delivery": a.delivery,
        "description": a.description,
        "document_hint": a.document_hint,
        "submitted_at": a.submitted_at.isoformat() + "Z",
        "extension_days": a.extension_days,
        "deadline_warning": a.deadline_warning,
        "section": a.section.code if a.section else None,
        "result": a.result,
        "result_reason": a.result_reason,
        "reply_text": a.reply_text,
        "personal_data": "full" if full else "masked",
        **applicant_view(a, full=full),
        "available_transitions": [t.name for t in available_transitions(a, user)],
    })
    return data


def _staff_org(user, code):
    if not desk_org_ids(user):
        raise NotAllowed("只有办公室（政府信息公开申请受理）人员可以登记纸质或当面申请")
    org = desk_organization(user, code)
    if org is None:
        raise ValidationError("机关代码不存在或您不在其办公室", fields={"organization": "unknown"})
    return org


@bp.post("/applications")
# A staff token (the desk registering letters and visits) is not held to the public's budget.
@APPLY_BUDGET.limit(spend_when=lambda response: response.status_code == 201,
                   exempt_when=lambda: api_user() is not None)
def application_create():
    """Public: file an application (201 {code}). With a desk token: register a letter or visit."""
    data = json_body()
    user = api_user()
    if request.headers.get("Authorization") and user is None:
        raise Unauthorized("访问令牌无效")
    allowed = set(APPLICATION_FIELDS) | {"name"} | (set(STAFF_FIELDS) | {"test"} if user else set())
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}", fields={n: "unknown" for n in unknown})
    if user is not None:
        expect_types(data, {"test": bool, "organization": str})
        org = _staff_org(user, data.get("organization"))
        application = register_by_staff(user, org, data, is_test=bool(data.get("test")))
    else:
        org = site_organization()
        if org is None:
            raise NotFound("本站尚未开通依申请公开")
        application = submit_online(org, data)
    db.session.commit()
    return jsonify({"code": application.code}), 201


@bp.get("/applications")
@token_required
def application_list():
    """Staff: applications the caller may see (personal data masked unless the caller staffs the desk)."""
    user = api_user()
    query = Application.query.filter(visible_filter(user))
    state = request.args.get("state")
    if state:
        if state == "open":
            query = query.filter(Application.state.in_(OPEN_STATES))
        elif state in STATES:
            query = query.filter(Application.state == state)
        else:
            raise ValidationError(f"未知状态 {state[:40]!r}", fields={"state": "unknown"})
    page = request.args.get("page", 1, type=int) or 1
    per_page = min(max(request.args.get("per_page", 30, type=int) or 30, 1), 100)
    if page < 1:
        raise ValidationError("page 必须为正整数", fields={"page": "invalid"})
    result = (query.options(joinedload(Application.section)).order_by(Application.id.desc())
              .paginate(page=page, per_page=per_page, error_out=False))
    return jsonify({"total": result.total, "page": page, "per_page": per_page,
                    "results": [staff_json(a, user) for a in result.items]})


class ContactInUrl(DomainError):
    status = 400
    code = "contact_in_url"


@bp.get("/applications/<code>")
@STATUS_BUDGET.limit(spend_when=lambda response: response.status_code == 404,
                    exempt_when=lambda: api_user() is not None)
def application_get(code):
    """With a token: the staff view. Without: the status, for whoever has the code and the contact."""
    user = api_user()
    if user is not None:
        application = get_for(user, code=code)
        data = staff_json(application, user)
        data["history"] = [{"transition": h.transition, "from": h.from_state, "to": h.to_state,
                            "at": h.at.isoformat() + "Z", "comment": h.comment} for h in history_of(application)]
        return jsonify(data)
    if request.headers.get("Authorization"):
        raise Unauthorized("访问令牌无效")
    # The applicant's look-up moved to POST .../status: a phone number or e-mail in a query string lands in
    # access logs, proxies and browser histories. The old ?contact= form is refused (and never looked up).
    raise ContactInUrl("申请人查询办理进度请使用 POST /api/v1/applications/{code}/status，"
                       "请求体 {\"contact\": \"申请时填写的联系电话或电子邮箱\"}；联系方式不应出现在网址中")


@bp.post("/applications/<code>/status")
@STATUS_BUDGET.limit(spend_when=lambda response: response.status_code == 404)
def application_status(code):
    """Public: the status for whoever has the code and the contact ``{contact}`` (200, or 404 for either wrong)."""
    data = json_body(required=("contact",))
    expect_types(data, {"contact": str})
    unknown = set(data) - {"contact"}
    if unknown:
        raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}", fields={n: "unknown" for n in unknown})
    application = lookup(code, data["contact"])
    if application is None:
        raise NotFound("未找到与申请编号和联系方式相符的申请")
    from cms.applications.documents import applicant_documents, download_url

    return jsonify({**status_json(application), "documents": applicant_documents(application, download_url)})


def _fire(code, name, data):
    user = api_user()
    application = get_for(user, code=code)
    inputs = {k: v for k, v in data.items() if k not in ("name", "version", "section", "text")}
    inputs["expected_version"] = data.get("version")
    if "text" in data:
        inputs["reply_text"] = data["text"]
    if "section" in data:
        from cms.accounts.models import Section

        section = Section.query.filter_by(organization_id=application.organization_id, code=data["section"]).first()
        if section is None:
            raise ValidationError(f"承办科室 {data['section'][:40]!r} 不存在", fields={"section": "unknown"})
        inputs["section_id"] = section.id
    transition(application, user, name, **inputs)
    db.session.commit()
    return jsonify(staff_json(application, user))


@bp.post("/applications/<code>/transitions")
@token_required
def application_transition(code):
    """Staff: fire a desk transition ``{name, comment?, section?, period?, received_on?, party?, days?, ...}``."""
    data = json_body(required=("name",))
    expect_types(data, TRANSITION_INPUTS)
    unknown = set(data) - set(TRANSITION_INPUTS)
    if unknown:
        raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}", fields={n: "unknown" for n in unknown})
    return _fire(code, data["name"], data)


@bp.post("/applications/<code>/reply")
@token_required
def application_reply(code):
    """Staff: submit the reply ``{result, result_reason?, text}`` for the office audit (draft_reply)."""
    data = json_body(required=("result", "text"))
    expect_types(data, TRANSITION_INPUTS)
    unknown = set(data) - {"result", "result_reason", "text", "version"}
    if unknown:
        raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}", fields={n: "unknown" for n in unknown})
    return _fire(code, "draft_reply", data)


@bp.get("/applications/statistics")
@token_required
def application_statistics():
    """Desk: the annual-report figures for ``year`` (default: this year)."""
    from cms import clock

    user = api_user()
    orgs = desk_org_ids(user)
    if not orgs:
        raise NotAllowed("只有办公室人员可以查看依申请公开统计")
    raw = request.args.get("year") or str(clock.local_today().year)
    year = int(raw) if raw.isdigit() and len(raw) == 4 else None
    if year is None or not 2000 <= year <= 2100:
        raise ValidationError("year 应为 2000–2100 之间的年份", fields={"year": "invalid"})
    return jsonify(annual_statistics(min(orgs), year))


# --- OpenAPI ------------------------------------------------------------------------------------------------

def _document():
    from cms.applications.types import APPLICANT_TYPES, CHANNELS, DELIVERY, ID_TYPES, RESULTS
    from cms.applications.workflow import APPLICATION_DESK
    from cms.blueprints.api.openapi import PATHS, SCHEMAS, SECURED, _errors, _json, _ref

    SCHEMAS["ApplicationInput"] = {
        "type": "object",
        "required": ["applicant_type", "applicant_name", "id_type", "id_number", "delivery", "description"],
        "properties": {
            "applicant_type": {"type": "string", "enum": list(APPLICANT_TYPES)},
            "applicant_name": {"type": "string", "maxLength": 200},
            "contact_person": {"type": "string", "description": "required for organizations"},
            "id_type": {"type": "string", "enum": list(ID_TYPES)},
            "id_number": {"type": "string", "description": "an 18-digit resident ID is checked (GB 11643)"},
            "phone": {"type": "string"}, "email": {"type": "string"},
            "address": {"type": "string", "description": "required when delivery is paper"},
            "delivery": {"type": "string", "enum": list(DELIVERY)},
            "description": {"type": "string", "maxLength": 5000},
            "document_hint": {"type": "string"},
            "channel": {"type": "string", "enum": list(CHANNELS), "description": "staff only"},
            "received_on": {"type": "string", "format": "date", "description": "staff only"},
            "organization": {"type": "string", "description": "staff only: the organization code"},
            "test": {"type": "boolean", "description": "staff only: a test application (not counted)"},
        },
    }
    SCHEMAS["ApplicationStatus"] = {
        "type": "object",
        "properties": {
            "code": {"type": "string"}, "state": {"type": "string"}, "applicant_type": {"type": "string"},
            "received_on": {"type": ["string", "null"], "format": "date"},
            "due_on": {"type": ["string", "null"], "format": "date"}, "extended": {"type": "boolean"},
            "result": {"type": ["string", "null"], "enum": [*RESULTS, None]},
            "result_reason": {"type": ["integer", "null"]},
            "replied_on": {"type": ["string", "null"], "format": "date"},
        },
    }
    code = [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}]
    PATHS.update({
        "/applications": {
            "post": {"summary": "File an application (public; with a desk token: register a letter or visit)",
                     "requestBody": {"required": True, "content": {"application/json": {
                         "schema": _ref("ApplicationInput")}}},
                     "responses": {"201": _json({"type": "object", "properties": {"code": {"type": "string"}}},
                                                "Created"), **_errors(400, 401, 403, 422, 429)}},
            "get": {"summary": "Applications the caller may see (personal data masked outside the desk)",
                    "security": SECURED,
                    "parameters": [{"name": n, "in": "query", "required": False, "schema": {"type": t}}
                                   for n, t in (("state", "string"), ("page", "integer"), ("per_page", "integer"))],
                    "responses": {"200": _json({"type": "object"}), **_errors(401, 422)}},
        },
        "/applications/statistics": {"get": {
            "summary": "Annual-report figures (desk)", "security": SECURED,
            "parameters": [{"name": "year", "in": "query", "required": False, "schema": {"type": "integer"}}],
            "responses": {"200": _json({"type": "object"}), **_errors(401, 403, 422)}}},
        "/applications/{code}": {"get": {
            "summary": "The staff view (token required); applicants use POST /applications/{code}/status",
            "security": SECURED, "parameters": code,
            "responses": {"200": _json({"type": "object"}), **_errors(400, 401, 404)}}},
        "/applications/{code}/status": {"post": {
            "summary": "Status for the applicant, by the phone or e-mail given when filing (kept out of URLs)",
            "parameters": code,
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["contact"], "additionalProperties": False,
                "properties": {"contact": {"type": "string", "description": "phone or e-mail given when filing"}}}}}},
            "responses": {"200": _json(_ref("ApplicationStatus")), **_errors(400, 404, 422, 429)}}},
        "/applications/{code}/transitions": {"post": {
            "summary": "Fire a desk transition", "security": SECURED, "parameters": code,
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["name"],
                "properties": {"name": {"type": "string", "enum": sorted(APPLICATION_DESK.names())},
                               "comment": {"type": "string"},
                               "section": {"type": "string"}, "period": {"type": "integer"},
                               "received_on": {"type": "string", "format": "date"},
                               "party": {"type": "string", "enum": ["third_party", "agency"]},
                               "days": {"type": "integer"}, "confidentiality_checked": {"type": "boolean"},
                               "version": {"type": "integer"}}}}}},
            "responses": {"200": _json({"type": "object"}), **_errors(400, 401, 403, 404, 409, 422)}}},
        "/applications/{code}/reply": {"post": {
            "summary": "Submit the reply (result, sub-reason, text) for the office audit", "security": SECURED,
            "parameters": code,
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["result", "text"],
                "properties": {"result": {"type": "string", "enum": list(RESULTS)},
                               "result_reason": {"type": "integer"}, "text": {"type": "string"},
                               "version": {"type": "integer"}}}}}},
            "responses": {"200": _json({"type": "object"}), **_errors(400, 401, 403, 404, 409, 422)}}},
    })


_document()

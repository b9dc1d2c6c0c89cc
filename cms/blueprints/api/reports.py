"""The annual report (office) and the remedies recorded against application replies."""
from flask import Response, jsonify

from cms.blueprints.api import bp
from cms.blueprints.api.auth import api_user, token_required
from cms.blueprints.api.parsing import expect_types, json_body
from cms.errors import ValidationError
from cms.extensions import db
from cms.reports.annual import build_report, get_report, record_remedy, remedy_json, report_json
from cms.reports.documents import DOCX, XLSX


@bp.post("/annual-reports")
@token_required
def annual_report_build():
    """Office: build (or rebuild) the draft of ``year`` from the data, with the office's inputs."""
    data = json_body(required=("year",))
    expect_types(data, {"year": int, "fees_amount": (str, int, float), "processing_fees": (str, int, float),
                        "rules": dict, "overview": str, "problems": str, "other": str})
    year = data.pop("year")
    report = build_report(api_user(), year, data)
    db.session.commit()
    return jsonify(report_json(report)), 201


@bp.get("/annual-reports/<int:year>")
@token_required
def annual_report_get(year):
    return jsonify(report_json(get_report(api_user(), year)))


def _download(year, extension, mimetype, render):
    report = get_report(api_user(), year)
    filename = f"annual-report-{year}.{extension}"
    return Response(render(report), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/annual-reports/<int:year>.docx")
@token_required
def annual_report_docx(year):
    from cms.reports.documents import render_docx

    return _download(year, "docx", DOCX, render_docx)


@bp.get("/annual-reports/<int:year>.xlsx")
@token_required
def annual_report_xlsx(year):
    from cms.reports.documents import render_xlsx

    return _download(year, "xlsx", XLSX, render_xlsx)


@bp.post("/applications/<code>/remedies")
@token_required
def application_remedy_create(code):
    """Office: record an administrative reconsideration or lawsuit against the reply."""
    data = json_body(required=("kind", "filed_on"))
    expect_types(data, {"kind": str, "filed_on": str, "outcome": str, "decided_on": str})
    if len(code) > 20:
        raise ValidationError("申请编号无效", fields={"code": "invalid"})
    remedy = record_remedy(api_user(), code, data)
    db.session.commit()
    return jsonify(remedy_json(remedy)), 201


def _document():
    from cms.blueprints.api.openapi import PATHS, SCHEMAS, SECURED, _errors, _json, _ref
    from cms.reports.models import REMEDY_KINDS, REMEDY_OUTCOMES

    SCHEMAS["AnnualReport"] = {
        "type": "object",
        "properties": {
            "year": {"type": "integer"}, "item_id": {"type": "integer"}, "state": {"type": "string"},
            "due_on": {"type": "string", "format": "date"}, "built_at": {"type": "string", "format": "date-time"},
            "inputs": {"type": "object"},
            "tables": {"type": "object", "properties": {"active": {"type": "object"},
                                                        "applications": {"type": "object"},
                                                        "remedies": {"type": "object"}}},
            "checks": {"type": "array", "items": {"type": "object", "properties": {
                "code": {"type": "string"}, "title": {"type": "string"}, "passed": {"type": "boolean"},
                "message": {"type": "string"}}}},
            "passed": {"type": "boolean"},
        },
    }
    year = [{"name": "year", "in": "path", "required": True, "schema": {"type": "integer"}}]
    code = [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}]
    binary = {"description": "OK", "content": {"application/octet-stream": {"schema": {"type": "string",
                                                                                       "format": "binary"}}}}
    PATHS.update({
        "/annual-reports": {"post": {
            "summary": "Build the annual report draft of a year from the data (office auditors, office head)",
            "security": SECURED,
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["year"],
                "properties": {"year": {"type": "integer"},
                               "fees_amount": {"type": ["string", "number"], "description": "行政事业性收费, 万元"},
                               "processing_fees": {"type": ["string", "number"], "description": "信息处理费, 元"},
                               "rules": {"type": "object", "description": "规章 {issued, repealed, in_force}"},
                               "overview": {"type": "string"}, "problems": {"type": "string"},
                               "other": {"type": "string"}}}}}},
            "responses": {"201": _json(_ref("AnnualReport"), "Created"), **_errors(400, 401, 403, 409, 422)}}},
        "/annual-reports/{year}": {"get": {
            "summary": "The annual report draft: tables, checks and its item", "security": SECURED,
            "parameters": year, "responses": {"200": _json(_ref("AnnualReport")), **_errors(401, 404)}}},
        "/annual-reports/{year}.docx": {"get": {
            "summary": "The annual report as DOCX", "security": SECURED, "parameters": year,
            "responses": {"200": binary, **_errors(401, 404)}}},
        "/annual-reports/{year}.xlsx": {"get": {
            "summary": "The annual report's tables as XLSX", "security": SECURED, "parameters": year,
            "responses": {"200": binary, **_errors(401, 404)}}},
        "/applications/{code}/remedies": {"post": {
            "summary": "Record an administrative reconsideration or lawsuit against a reply (office)",
            "security": SECURED, "parameters": code,
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["kind", "filed_on"],
                "properties": {"kind": {"type": "string", "enum": list(REMEDY_KINDS)},
                               "filed_on": {"type": "string", "format": "date"},
                               "outcome": {"type": "string", "enum": list(REMEDY_OUTCOMES)},
                               "decided_on": {"type": "string", "format": "date"}}}}}},
            "responses": {"201": _json({"type": "object"}, "Created"), **_errors(400, 401, 403, 404, 422)}}},
    })


_document()

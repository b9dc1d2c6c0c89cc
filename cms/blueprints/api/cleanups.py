"""Cleanup lists (规范性文件清理), the office's one-off validity changes, and the interpretation setting."""
from flask import jsonify

from cms.blueprints.api import bp
from cms.blueprints.api import cleanups_openapi  # noqa: F401  (documents the routes below)
from cms.blueprints.api.auth import api_user, token_required
from cms.blueprints.api.items import _find_section, item_with_warnings
from cms.blueprints.api.parsing import expect_types, json_body
from cms.cleanups.services import create_cleanup
from cms.content import interpretations
from cms.content.services import get_item_for
from cms.content.validity import change_validity
from cms.errors import NotAllowed, ValidationError
from cms.extensions import db


def _organization_id(user, data):
    """The organization the call acts for: the caller's only one, or the one named by ``organization_id``."""
    orgs = sorted(user.organization_ids)
    wanted = data.get("organization_id")
    if wanted is not None:
        if wanted not in orgs:
            raise NotAllowed("您不属于该机关")
        return wanted
    if not orgs:
        raise NotAllowed("您不属于任何机关")
    if len(orgs) > 1:
        raise ValidationError("您属于多个机关，请指明 organization_id", fields={"organization_id": "required"})
    return orgs[0]


def _unknown(data, allowed):
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}", fields={n: "unknown" for n in unknown})


@bp.post("/cleanups")
@token_required
def cleanup_create():
    """``{title, decisions: [{item_id, outcome, replaced_by?, note?}], body_html?, section?}`` → 201 the list."""
    user = api_user()
    data = json_body(required=("title", "decisions"))
    expect_types(data, {"title": str, "decisions": list, "body_html": str, "section": str, "organization_id": int})
    _unknown(data, ("title", "decisions", "body_html", "section", "organization_id"))
    org_id = _organization_id(user, data)
    item = create_cleanup(user, org_id, data["title"], data["decisions"], body_html=data.get("body_html"),
                          section=_find_section(user, data.get("section")))
    db.session.commit()
    return jsonify(item_with_warnings(item, user)), 201


@bp.post("/items/<int:item_id>/validity")
@token_required
def item_validity_change(item_id):
    """``{validity, replaced_by?, note?, version?}``: the office changes a published document's validity."""
    user = api_user()
    item = get_item_for(user, item_id)
    data = json_body(required=("validity",))
    expect_types(data, {"validity": str, "replaced_by": int, "note": str, "version": int})
    _unknown(data, ("validity", "replaced_by", "note", "version"))
    change_validity(item, user, data["validity"], replaced_by_id=data.get("replaced_by"), note=data.get("note"),
                    expected_version=data.get("version"))
    db.session.commit()
    return jsonify(item_with_warnings(item, user))


@bp.get("/interpretation-setting")
@token_required
def interpretation_setting_get():
    user = api_user()
    org_id = _organization_id(user, {})
    return jsonify(interpretations.setting_to_json(interpretations.setting_for(org_id)))


@bp.put("/interpretation-setting")
@token_required
def interpretation_setting_put():
    """``{item_types?, include_normative?, mode?: sync|lag, lag_days?, version?}`` (office or admin); a stale
    ``version`` (the one GET returned) is 409."""
    user = api_user()
    data = json_body()
    expect_types(data, {"item_types": list, "include_normative": bool, "mode": str, "lag_days": int,
                        "organization_id": int, "version": int})
    _unknown(data, ("item_types", "include_normative", "mode", "lag_days", "organization_id", "version"))
    org_id = _organization_id(user, data)
    row = interpretations.update_setting(user, org_id, item_types=data.get("item_types"),
                                         include_normative=data.get("include_normative"), mode=data.get("mode"),
                                         lag_days=data.get("lag_days"), expected_version=data.get("version"))
    db.session.commit()
    return jsonify(interpretations.setting_to_json(row))

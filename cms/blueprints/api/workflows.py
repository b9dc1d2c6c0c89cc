"""Stored workflow definitions, a column's workflow, and delegations (代理审批)."""
from flask import jsonify

from cms.accounts.delegations import (
    create_delegation,
    delegation_to_json,
    get_delegation_for,
    revoke_delegation,
    visible_delegations,
)
from cms.accounts.audit import record_audit
from cms.blueprints.api import bp
from cms.blueprints.api.auth import api_user, token_required
from cms.blueprints.api.parsing import expect_types, json_body
from cms.content.columns import update_column
from cms.content.models import Column
from cms.errors import NotAllowed, NotFound, ValidationError
from cms.extensions import db
from cms.workflow import store


def _require_admin(user):
    if not user.is_admin:
        raise NotAllowed("只有系统管理员可以管理审核流程")


@bp.get("/workflows")
@token_required
def workflow_list():
    return jsonify(workflows=[
        {"code": code, "title": title, "version": store.latest_version(code)}
        for code, title in store.definition_codes("item").items()
    ])


@bp.post("/workflows")
@token_required
def workflow_create():
    user = api_user()
    _require_admin(user)
    data = json_body(required=("code",))
    if not isinstance(data.get("code"), str):
        raise ValidationError("code 应为字符串", fields={"code": "wrong_type"})
    if store.latest_version(data["code"]) is not None:
        raise ValidationError(f"流程 {data['code']!r} 已存在，请用 PUT 保存新版本", fields={"code": "exists"})
    row = store.save_definition(data, user)
    record_audit("workflow.create", user, target=f"workflow:{row.code}", details={"version": row.version})
    db.session.commit()
    return jsonify(store.describe(row.code, row.version)), 201


@bp.get("/workflows/<code>")
@token_required
def workflow_get(code):
    return jsonify(store.describe(code))


@bp.put("/workflows/<code>")
@token_required
def workflow_update(code):
    user = api_user()
    _require_admin(user)
    if store.latest_version(code) is None:
        raise NotFound(f"流程 {code!r} 不存在")
    data = json_body()
    if data.get("code", code) != code:
        raise ValidationError("不能修改流程代码", fields={"code": "fixed"})
    row = store.save_definition(data, user, code=code)
    record_audit("workflow.update", user, target=f"workflow:{row.code}", details={"version": row.version})
    db.session.commit()
    return jsonify(store.describe(row.code, row.version))


@bp.patch("/columns/<code>")
@token_required
def column_patch(code):
    user = api_user()
    _require_admin(user)
    data = json_body(required=("workflow",))
    expect_types(data, {"workflow": str})
    unknown = set(data) - {"workflow"}
    if unknown:
        raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}", fields={n: "unknown" for n in unknown})
    admin_orgs = {m.section.organization_id for m in user.memberships if m.role == "admin"}
    column = (Column.query.filter(Column.organization_id.in_(admin_orgs), Column.code == code)
              .order_by(Column.organization_id).first())
    if column is None:
        raise NotFound(f"栏目 {code!r} 不存在")
    update_column(column, user, workflow=data["workflow"])
    db.session.commit()
    return jsonify({"code": column.code, "name": column.name, "workflow": column.workflow})


@bp.get("/delegations")
@token_required
def delegation_list():
    return jsonify(delegations=[delegation_to_json(d) for d in visible_delegations(api_user())])


@bp.post("/delegations")
@token_required
def delegation_create():
    user = api_user()
    data = json_body(required=("to", "starts_at", "ends_at"))
    expect_types(data, {"from": str, "to": str, "starts_at": str, "ends_at": str, "roles": list})
    unknown = set(data) - {"from", "to", "starts_at", "ends_at", "roles"}
    if unknown:
        raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}", fields={n: "unknown" for n in unknown})
    row = create_delegation(user, data.get("from") or user.username, data["to"], data["starts_at"],
                            data["ends_at"], data.get("roles"))
    db.session.commit()
    return jsonify(delegation_to_json(row)), 201


@bp.delete("/delegations/<int:delegation_id>")
@token_required
def delegation_delete(delegation_id):
    user = api_user()
    revoke_delegation(user, get_delegation_for(user, delegation_id))
    db.session.commit()
    return "", 204

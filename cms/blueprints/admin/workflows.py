"""Compose review workflows (审核流程) from ordered stages, and delegate review roles (代理审批).

The stage editor works without JavaScript (add / remove / move buttons post the form back);
``static/js/workflow_editor.js`` does the same in the page. Saving stores a new version; items in flight
keep the version they started with.
"""
import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from cms.accounts.delegations import create_delegation, get_delegation_for, revoke_delegation, visible_delegations
from cms.accounts.models import REVIEW_ROLES, ROLE_LABELS, Section, User
from cms.accounts.audit import record_audit
from cms.blueprints.admin import admin_required, bp
from cms.content.models import Column
from cms.errors import DomainError, ValidationError
from cms.extensions import db
from cms.workflow import store

SCOPE_LABELS = {"item_section": "信息所属科室", "sections": "指定科室", "organization": "本机关"}
STAGE_FIELDS = ("code", "title", "role", "scope", "sections", "quorum", "quorum_n", "due_kind", "due_value",
                "confidentiality")
_KEY = re.compile(r"^stages-(\d+)-(\w+)$")


def _blank_stage():
    return {"code": "", "title": "", "role": "section_chief", "scope": "item_section", "sections": [],
            "quorum": "any", "due": None, "confidentiality": False}


def _stages_from_form(form):
    rows = {}
    for key in form:
        match = _KEY.match(key)
        if match and match.group(2) in STAGE_FIELDS:
            index, name = int(match.group(1)), match.group(2)
            if name == "sections":
                rows.setdefault(index, {})[name] = [v for v in form.getlist(key) if v]
            else:
                rows.setdefault(index, {})[name] = form.get(key, "").strip()
    stages = []
    for index in sorted(rows)[:store.MAX_STAGES + 5]:
        row = rows[index]
        stage = {"code": row.get("code", ""), "title": row.get("title", ""), "role": row.get("role", ""),
                 "scope": row.get("scope", "item_section")}
        if stage["scope"] == "sections":
            stage["sections"] = row.get("sections", [])
        quorum = row.get("quorum", "any")
        if quorum == "n":
            n = row.get("quorum_n", "")
            stage["quorum"] = int(n) if n.isdigit() and len(n) < 4 else n
        else:
            stage["quorum"] = quorum
        kind, value = row.get("due_kind", ""), row.get("due_value", "")
        if kind in ("working_days", "hours"):
            stage["due"] = {kind: int(value) if value.isdigit() and len(value) < 5 else value}
        if row.get("confidentiality") in ("1", "y", "on", "true"):
            stage["confidentiality"] = True
        stages.append(stage)
    return stages


def _move(stages, action):
    """Apply an editing button (``add``, ``remove-N``, ``up-N``, ``down-N``) to the list of stages."""
    if action == "add":
        return stages + [_blank_stage()]
    match = re.match(r"^(remove|up|down)-(\d+)$", action or "")
    if not match:
        return stages
    verb, index = match.group(1), int(match.group(2))
    if not 0 <= index < len(stages):
        return stages
    stages = list(stages)
    if verb == "remove":
        stages.pop(index)
    elif verb == "up" and index > 0:
        stages[index - 1], stages[index] = stages[index], stages[index - 1]
    elif verb == "down" and index < len(stages) - 1:
        stages[index + 1], stages[index] = stages[index], stages[index + 1]
    return stages


def _section_choices():
    orgs = {m.section.organization_id for m in current_user.memberships}
    rows = Section.query.filter(Section.organization_id.in_(orgs)).order_by(Section.id).all()
    return [(s.code, s.name) for s in rows]


def _render_editor(definition, code=None, errors=None, preview=None, status=200, version=None):
    return render_template(
        "admin/workflow_edit.html", definition=definition, code=code, errors=errors or {}, preview=preview,
        version=version, roles=[(r, ROLE_LABELS[r]) for r in REVIEW_ROLES], scopes=list(SCOPE_LABELS.items()),
        sections=_section_choices(), form=FlaskForm(),
    ), status


@bp.get("/workflows")
@admin_required
def workflow_list():
    org_ids = {m.section.organization_id for m in current_user.memberships}
    used = {}
    for column in Column.query.filter(Column.organization_id.in_(org_ids), Column.retired.is_(False)):
        used.setdefault(column.workflow, []).append(column.name)
    workflows = [{"code": code, "title": title, "version": store.latest_version(code), "columns": used.get(code, [])}
                 for code, title in store.definition_codes("item").items()]
    return render_template("admin/workflow_list.html", workflows=workflows)


def _edit(code):
    form = FlaskForm()
    if request.method == "GET":
        if code is None:
            definition = {"code": "", "title": "", "on_return": "restart", "stages": [_blank_stage()]}
            return _render_editor(definition)
        data, version, _ = store.load(code)
        return _render_editor(dict(data), code=code, version=version)
    if not form.validate_on_submit():
        abort(400)
    definition = {"code": code or request.form.get("code", "").strip(),
                  "title": request.form.get("title", "").strip(),
                  "on_return": request.form.get("on_return", "restart"),
                  "stages": _stages_from_form(request.form)}
    action = request.form.get("action", "save")
    if action not in ("save", "preview"):
        definition["stages"] = _move(definition["stages"], action)
        return _render_editor(definition, code=code)
    try:
        if action == "preview":
            return _render_editor(definition, code=code, preview=store.preview(definition))
        if code is None and store.latest_version(definition["code"]) is not None:
            raise ValidationError("流程代码已存在", fields={"code": "exists"})
        row = store.save_definition(definition, current_user, code=code)
    except ValidationError as exc:
        return _render_editor(definition, code=code, errors=exc.fields, status=422)
    record_audit("workflow.update" if code else "workflow.create", current_user, target=f"workflow:{row.code}",
                 details={"version": row.version})
    db.session.commit()
    flash(f"流程“{row.title}”已保存为第 {row.version} 版；审核中的信息继续按原版本流转。", "success")
    return redirect(url_for("admin.workflow_edit", code=row.code))


@bp.route("/workflows/new", methods=["GET", "POST"])
@admin_required
def workflow_new():
    return _edit(None)


@bp.route("/workflows/<code>", methods=["GET", "POST"])
@admin_required
def workflow_edit(code):
    if store.latest_version(code) is None:
        abort(404)
    return _edit(code)


# --- delegations ---------------------------------------------------------------------------------------------


def _people():
    orgs = {m.section.organization_id for m in current_user.memberships}
    users = User.query.filter(User.active.is_(True)).order_by(User.username).all()
    return [u for u in users if {m.section.organization_id for m in u.memberships} & orgs]


@bp.route("/delegations", methods=["GET", "POST"])
def delegation_list():
    form = FlaskForm()
    status, error, errors = 200, None, {}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        roles = [r for r in request.form.getlist("roles") if r]
        try:
            create_delegation(current_user, request.form.get("from") or current_user.username,
                              request.form.get("to", ""), request.form.get("starts_at", ""),
                              request.form.get("ends_at", ""), roles or None)
        except DomainError as exc:
            db.session.rollback()
            status, error, errors = exc.status, exc.message, exc.fields
        else:
            db.session.commit()
            flash("代理已设置。", "success")
            return redirect(url_for("admin.delegation_list"))
    return render_template("admin/delegation_list.html", delegations=visible_delegations(current_user),
                           people=_people(), roles=[(r, ROLE_LABELS[r]) for r in REVIEW_ROLES], form=form,
                           error=error, errors=errors, values=request.form), status


@bp.post("/delegations/<int:delegation_id>/delete")
def delegation_delete(delegation_id):
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    revoke_delegation(current_user, get_delegation_for(current_user, delegation_id))
    db.session.commit()
    flash("代理已撤销。", "success")
    return redirect(url_for("admin.delegation_list"))

"""Stored, versioned stage-workflow definitions: validate, save a new version, load and compile.

A definition is JSON::

    {"code": "major_decision", "title": "重大决策四级审核", "on_return": "resume",
     "stages": [{"code": "section", "title": "科室审核", "role": "section_chief", "scope": "item_section",
                 "quorum": "any", "due": {"working_days": 2}, "confidentiality": false}, ...]}

Versions are never rewritten: ``save_definition`` adds the next version, and a subject in flight keeps
the version it started with. Built-in definitions (``three_stage``, ``two_stage``) count as version 1 when
no row of that code is stored.
"""
import json
import re

from flask import g, has_app_context
from sqlalchemy import func

from cms.accounts import permissions
from cms.accounts.models import REVIEW_ROLES, ROLE_LABELS, Section
from cms.errors import NotFound, ValidationError
from cms.extensions import db
from cms.workflow.definitions import builtin_definitions, compile_definition, envelope_of
from cms.workflow.models import WorkflowDefinition

CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,23}$")
WORKFLOW_CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
MAX_STAGES = 12
_COMPILED = {}  # (code, version, canonical json) -> Workflow


def _canonical(data):
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def _positive_int(value, low, high):
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def validate_definition(data, subject_type="item", code=None):
    """Check a definition and return it normalized; ValidationError (422) with the reason per field."""
    if not isinstance(data, dict):
        raise ValidationError("流程定义应为 JSON 对象", fields={"definition": "invalid"})
    errors = {}
    out = {}
    code = code if code is not None else data.get("code")
    if not isinstance(code, str) or not WORKFLOW_CODE_RE.match(code):
        errors["code"] = "invalid"
    out["code"] = code
    title = data.get("title")
    if not isinstance(title, str) or not title.strip() or len(title) > 200:
        errors["title"] = "required"
    out["title"] = title.strip() if isinstance(title, str) else title
    on_return = data.get("on_return", "restart")
    if on_return not in ("resume", "restart"):
        errors["on_return"] = "invalid"
    out["on_return"] = on_return
    unknown = set(data) - {"code", "title", "on_return", "stages", "subject_type", "version"}
    for name in sorted(unknown):
        errors[name] = "unknown"
    stages = data.get("stages")
    if not isinstance(stages, list) or not stages:
        errors["stages"] = "empty"
        stages = []
    elif len(stages) > MAX_STAGES:
        errors["stages"] = "too_many"
    known_sections = {code for (code,) in db.session.query(Section.code).distinct()}
    seen, clean = set(), []
    for index, stage in enumerate(stages):
        key = f"stages[{index}]"
        if not isinstance(stage, dict):
            errors[key] = "invalid"
            continue
        for name in sorted(set(stage) - {"code", "title", "role", "scope", "sections", "quorum", "due",
                                         "confidentiality"}):
            errors[f"{key}.{name}"] = "unknown"
        s = {}
        scode = stage.get("code")
        if not isinstance(scode, str) or not CODE_RE.match(scode):
            errors[f"{key}.code"] = "invalid"
        elif scode in seen:
            errors[f"{key}.code"] = "duplicate"
        else:
            seen.add(scode)
        s["code"] = scode
        stitle = stage.get("title")
        if not isinstance(stitle, str) or not stitle.strip() or len(stitle) > 60:
            errors[f"{key}.title"] = "required"
        s["title"] = stitle.strip() if isinstance(stitle, str) else stitle
        role = stage.get("role")
        if role not in REVIEW_ROLES:
            errors[f"{key}.role"] = "unknown_role"
        s["role"] = role
        scope = stage.get("scope", "item_section")
        if scope not in permissions.SCOPES:
            errors[f"{key}.scope"] = "invalid"
        s["scope"] = scope
        sections = stage.get("sections")
        if scope == "sections":
            if not isinstance(sections, list) or not sections or not all(isinstance(x, str) for x in sections):
                errors[f"{key}.sections"] = "required"
                sections = []
            else:
                missing = [x for x in sections if x not in known_sections]
                if missing:
                    errors[f"{key}.sections"] = "unknown_section"
                if len(set(sections)) != len(sections):
                    errors[f"{key}.sections"] = "duplicate"
            s["sections"] = list(sections)
        elif sections not in (None, []):
            errors[f"{key}.sections"] = "only_for_scope_sections"
        quorum = stage.get("quorum", "any")
        if quorum in ("any", "all"):
            pass
        elif _positive_int(quorum, 1, 50):
            pass
        else:
            errors[f"{key}.quorum"] = "invalid"
        s["quorum"] = quorum
        due = stage.get("due")
        if due is not None:
            if (not isinstance(due, dict) or len(due) != 1
                    or not (_positive_int(due.get("working_days"), 1, 60) or _positive_int(due.get("hours"), 1, 720))):
                errors[f"{key}.due"] = "invalid"
            s["due"] = due
        confidentiality = stage.get("confidentiality", False)
        if not isinstance(confidentiality, bool):
            errors[f"{key}.confidentiality"] = "invalid"
        if confidentiality:
            s["confidentiality"] = True
        # A quorum needs people who can meet it (in at least one organization).
        if role in REVIEW_ROLES and scope in permissions.SCOPES and f"{key}.quorum" not in errors \
                and f"{key}.sections" not in errors:
            available = permissions.count_holders_anywhere(role, scope, s.get("sections", ()))
            if isinstance(quorum, int) and quorum > available:
                errors[f"{key}.quorum"] = "larger_than_holders"
            elif quorum == "all" and scope == "sections":
                for section_code in s.get("sections", ()):
                    if permissions.count_holders_anywhere(role, "sections", (section_code,)) == 0:
                        errors[f"{key}.quorum"] = "section_without_holder"
            elif available == 0:
                errors[f"{key}.role"] = "nobody_holds_role"
        clean.append(s)
    out["stages"] = clean
    try:
        envelope = envelope_of(subject_type)
    except KeyError:
        errors["subject_type"] = "invalid"
        envelope = None
    if envelope is not None and envelope.publishes and clean and not any(s.get("confidentiality") for s in clean):
        errors["stages"] = "confidentiality_stage_required"
    if errors:
        raise ValidationError(_describe(errors), fields=errors)
    return out


_REASONS = {
    "empty": "至少需要一个审核环节", "duplicate": "环节代码重复", "unknown_role": "未知角色",
    "unknown_section": "未知科室", "larger_than_holders": "会签人数超过可审核的人数",
    "confidentiality_stage_required": "发布主动公开信息的流程必须包含保密审查环节",
    "section_without_holder": "所列科室中有科室无人担任该角色", "nobody_holds_role": "无人担任该角色",
}


def _describe(errors):
    parts = [f"{name}：{_REASONS.get(reason, reason)}" for name, reason in errors.items()]
    return "流程定义有误：" + "；".join(parts)


def _row(code, version=None):
    query = WorkflowDefinition.query.filter_by(code=code)
    if version is not None:
        return query.filter_by(version=version).first()
    return query.order_by(WorkflowDefinition.version.desc()).first()


def latest_version(code):
    """The current version number of ``code`` (1 for an unsaved built-in), or None when unknown."""
    version = db.session.query(func.max(WorkflowDefinition.version)).filter_by(code=code).scalar()
    if version is None and code in builtin_definitions():
        return 1
    return version


def load(code, version=None):
    """``(definition JSON, version, subject_type)`` of ``code`` (the latest when ``version`` is None)."""
    row = _row(code, version)
    if row is not None:
        return row.definition, row.version, row.subject_type
    builtin = builtin_definitions().get(code)
    if builtin is not None and version in (None, 1):
        return builtin, 1, "item"
    raise NotFound(f"流程 {code!r} 不存在" + (f"（版本 {version}）" if version else ""))


def compiled(code, version=None):
    """The compiled Workflow of ``code`` at ``version`` (memoized per request and per content)."""
    cache = g.setdefault("_cms_workflows", {}) if has_app_context() else {}
    key = (code, version)
    if key in cache:
        return cache[key]
    if version is not None and has_app_context():
        # A worklist loaded every version already (``all_compiled``): no query per row's workflow.
        for workflows in g.get("_cms_all_workflows", {}).values():
            if key in workflows:
                cache[key] = workflows[key]
                return cache[key]
    try:
        data, number, subject_type = load(code, version)
    except NotFound:
        raise KeyError(f"unknown workflow {code!r}") from None
    content_key = (code, number, _canonical(data))
    workflow = _COMPILED.get(content_key)
    if workflow is None:
        workflow = _COMPILED[content_key] = compile_definition(data, subject_type, version=number)
    cache[key] = workflow
    return workflow


def all_compiled(subject_type="item"):
    """Every stored version (and every built-in not stored yet) of ``subject_type``'s workflows, compiled:
    ``{(code, version): Workflow}`` from one query (worklists consider them all)."""
    cache = g.setdefault("_cms_all_workflows", {}) if has_app_context() else {}
    if subject_type in cache:
        return cache[subject_type]
    out = {}
    rows = (db.session.query(WorkflowDefinition.code, WorkflowDefinition.version, WorkflowDefinition.definition)
            .filter_by(subject_type=subject_type).all())
    for code, version, data in rows:
        key = (code, version, _canonical(data))
        if key not in _COMPILED:
            _COMPILED[key] = compile_definition(data, subject_type, version=version)
        out[(code, version)] = _COMPILED[key]
    if subject_type == "item":
        for code, data in builtin_definitions().items():
            if (code, 1) not in out:
                key = (code, 1, _canonical(data))
                if key not in _COMPILED:
                    _COMPILED[key] = compile_definition(data, subject_type, version=1)
                out[(code, 1)] = _COMPILED[key]
    cache[subject_type] = out
    return out


def _forget():
    if has_app_context():
        g.pop("_cms_workflows", None)
        g.pop("_cms_all_workflows", None)


def save_definition(data, user=None, code=None, subject_type="item"):
    """Validate ``data`` and store it as the next version of its code; returns the row."""
    clean = validate_definition(data, subject_type, code=code)
    current = latest_version(clean["code"])
    if current == 1 and _row(clean["code"]) is None:
        # Keep the built-in as stored version 1 so items pinned to it still find it.
        builtin = builtin_definitions()[clean["code"]]
        db.session.add(WorkflowDefinition(code=builtin["code"], version=1, subject_type="item",
                                          title=builtin["title"], definition=builtin))
    row = WorkflowDefinition(code=clean["code"], version=(current or 0) + 1, subject_type=subject_type,
                             title=clean["title"], definition=clean, created_by_id=getattr(user, "id", None))
    db.session.add(row)
    db.session.flush()
    _forget()
    return row


def definition_codes(subject_type="item"):
    """Every stage workflow of ``subject_type``: ``{code: title}`` (latest versions), built-ins first."""
    out = {code: data["title"] for code, data in builtin_definitions().items()}
    rows = (db.session.query(WorkflowDefinition.code, WorkflowDefinition.title, WorkflowDefinition.version)
            .filter_by(subject_type=subject_type).order_by(WorkflowDefinition.code, WorkflowDefinition.version))
    for code, title, _version in rows:
        out[code] = title
    return out


def describe(code, version=None):
    """A definition with its version and compiled states and transitions (API and admin preview)."""
    data, number, subject_type = load(code, version)
    workflow = compiled(code, number)
    return {
        **data,
        "version": number,
        "subject_type": subject_type,
        "states": workflow.states,
        "transitions": [
            {"name": t.name, "title": t.title, "from": list(t.sources), "to": t.target,
             **({"stage": t.stage} if t.stage else {}), **({"to_stage": True} if t.to_stage else {})}
            for t in workflow.transitions
        ],
    }


def preview(data, subject_type="item"):
    """Validate ``data`` and return its compiled states and transitions without storing anything."""
    clean = validate_definition(data, subject_type)
    workflow = compile_definition(clean, subject_type)
    return {
        **clean,
        "states": workflow.states,
        "transitions": [{"name": t.name, "title": t.title, "from": list(t.sources), "to": t.target}
                        for t in workflow.transitions],
    }

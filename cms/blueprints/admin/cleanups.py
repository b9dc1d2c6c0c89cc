"""Cleanup lists (规范性文件清理) in the back office: the list, and a screen to draft one — find the documents
(by column, 文号, title), give each an outcome and, for 修改, the replacing document, then save the draft or
submit it into review. The rules are those of ``POST /api/v1/cleanups`` (cms/cleanups/services.py)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import escape
from wtforms import StringField, TextAreaField
from wtforms.validators import Optional

from cms.blueprints.admin import bp
from cms.cleanups import drafting
from cms.cleanups.models import OUTCOMES
from cms.cleanups.services import PROBLEM_LABELS, create_cleanup
from cms.content.services import editor_sections
from cms.content.types import VALIDITY
from cms.content.workflow import item_state_labels
from cms.errors import DomainError
from cms.extensions import db
from cms.form_messages import MaxLength as Length

ACTIONS = ("search", "draft", "submit")


class CleanupDraftForm(FlaskForm):
    title = StringField("标题", validators=[Optional(), Length(max=200)])
    intro = TextAreaField("说明（选填，显示在清理结果正文开头）", validators=[Optional(), Length(max=5000)])


def _sections():
    return editor_sections(current_user)


def _org_ids():
    return sorted(current_user.organization_ids)


@bp.get("/cleanups")
def cleanup_list():
    """The cleanup lists of the user's organizations, with their state and number of decisions."""
    items = drafting.cleanup_lists(_org_ids())
    return render_template("admin/cleanup_list.html", items=items, states=item_state_labels(),
                           counts=drafting.decision_counts([i.id for i in items]), may_draft=bool(_sections()))


def _filters(source):
    column = (source.get("column") or "").strip()
    return {"column": column if column.isdigit() and len(column) < 10 else "",
            "doc_number": (source.get("doc_number") or "").strip()[:100],
            "q": (source.get("q") or "").strip()[:100]}


def _body_html(intro):
    paragraphs = [line.strip() for line in (intro or "").splitlines() if line.strip()]
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)


def _section(sections):
    if len(sections) == 1:
        return sections[0]
    raw = request.form.get("section", "")
    return next((s for s in sections if str(s.id) == raw), None)


@bp.route("/cleanups/new", methods=["GET", "POST"])
def cleanup_new():
    sections = _sections()
    if not sections:
        abort(403)  # drafting is an editor's act, as for every item (create_item refuses anyone else)
    org_ids = sorted({s.organization_id for s in sections})
    form = CleanupDraftForm()
    status, error, problems = 200, None, {}
    source = request.form if request.method == "POST" else request.args
    filters = _filters(source)
    rows = drafting.rows_from_form(request.form) if request.method == "POST" else []
    row_errors = drafting.row_errors(rows)
    section_id = request.form.get("section", "")
    if request.method == "POST":
        action = request.form.get("action", "search")
        if not form.validate_on_submit():
            return _render(form, filters, rows, org_ids, sections, section_id, 400,
                           "请求无效（页面已过期或表单有误），请刷新后重试。", {}, row_errors)
        if action not in ACTIONS:
            return _render(form, filters, rows, org_ids, sections, section_id, 400, "未知操作。", {}, row_errors)
        if action != "search":
            decisions = drafting.decisions_from_rows(rows)
            section = _section(sections)
            if not (form.title.data or "").strip():
                status, error = 422, "请填写标题。"
            elif not decisions:
                status, error = 422, "请至少为一份文件选择清理结果。"
            elif row_errors:
                status, error = 422, "部分清理决定填写有误，请检查标红的行。"
            elif section is None:
                status, error = 422, "请选择发布机构。"
            else:
                try:
                    item = create_cleanup(current_user, section.organization_id, form.title.data.strip(), decisions,
                                          body_html=_body_html(form.intro.data), section=section)
                    if action == "submit":
                        from cms.workflow.engine import fire

                        fire(item, current_user, "submit")
                except DomainError as exc:
                    db.session.rollback()
                    status, error = exc.status, exc.message
                    problems = getattr(exc, "extra", {}).get("items") or {}
                else:
                    db.session.commit()
                    flash("清理结果已提交审核。" if action == "submit" else "清理结果草稿已保存，可在信息页面提交审核。",
                          "success")
                    return redirect(url_for("admin.item_view", item_id=item.id))
    return _render(form, filters, rows, org_ids, sections, section_id, status, error, problems, row_errors)


def _render(form, filters, rows, org_ids, sections, section_id, status, error, problems, row_errors):
    chosen = [r for r in rows if r["outcome"]]
    chosen_ids = [r["item_id"] for r in chosen]
    results = drafting.candidates(org_ids, column_id=int(filters["column"]) if filters["column"] else None,
                                  doc_number=filters["doc_number"], title=filters["q"], exclude=chosen_ids)
    items = drafting.items_by_id(chosen_ids)
    # Rows without an outcome are dropped; items no longer visible to the user (another organization) too.
    chosen = [r for r in chosen if r["item_id"] in items and items[r["item_id"]].organization_id in org_ids]
    problem_of = {}
    for reason, ids in (problems or {}).items():
        for item_id in ids:
            problem_of.setdefault(item_id, PROBLEM_LABELS.get(reason, reason))
    return render_template(
        "admin/cleanup_new.html", form=form, filters=filters, chosen=chosen, items=items, results=results,
        columns=drafting.columns_of(org_ids), outcomes=OUTCOMES, sections=sections, section_id=section_id,
        error=error, problem_of=problem_of, row_errors=row_errors, limit=drafting.RESULT_LIMIT,
        validity_labels=VALIDITY), status

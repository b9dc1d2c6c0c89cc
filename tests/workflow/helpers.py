"""Shared steps for workflow tests."""
from cms.accounts.models import User
from cms.content.catalog import get_column
from cms.content.services import create_item
from cms.extensions import db
from cms.workflow.engine import fire


def user(username):
    return User.query.filter_by(username=username).one()


def draft(org, column="notices", title="关于开展2017年文化市场专项检查的通知", author="editor", **fields):
    fields.setdefault("body_html", f"<p>{title}正文。各有关单位：为规范文化市场秩序……</p>")
    return create_item(user(author), get_column(org.id, column), title=title, **fields)


def publish(item, office_inputs=None):
    """Walk ``item`` through the whole three-stage review with the demo users."""
    fire(item, user(item.author.username), "submit")
    if item.workflow == "three_stage":
        chief = "chief" if item.section.code == "market" else "chief2"
        fire(item, user(chief), "approve")
    fire(item, user("auditor"), "approve", confidentiality_checked=True, **(office_inputs or {}))
    fire(item, user("leader"), "approve")
    db.session.commit()
    return item

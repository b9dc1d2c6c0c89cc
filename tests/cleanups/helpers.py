"""Published policies for the cleanup tests (the bureau's setting asks no interpretation of them)."""
from cms.accounts.models import User
from cms.content.interpretations import update_setting
from cms.extensions import db
from tests.workflow.helpers import draft, publish


def no_interpretations_needed(org):
    update_setting(User.query.filter_by(username="auditor").one(), org.id, item_types=[], include_normative=False)
    db.session.commit()


def published_policy(org, n, **fields):
    title = fields.pop("title", f"嘉峪关市文化市场管理规范性文件第{n}号")
    fields.setdefault("body_html", f"<p>{title}。第{n}条　本文件规定文化市场第{n}类经营活动的管理要求，编号{n * 7919}。</p>")
    fields.setdefault("doc_number", f"嘉文广规〔2020〕{n}号")
    return publish(draft(org, column="policies", title=title, type="policy", normative=True, **fields))

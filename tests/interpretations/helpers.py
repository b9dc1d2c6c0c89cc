"""Steps shared by the interpretation tests: a policy and its interpretation walked to the final stage."""
from cms.extensions import db
from cms.workflow.engine import fire
from tests.workflow.helpers import draft, user


def policy_draft(org, title="嘉峪关市文化市场经营场所安全管理办法", **fields):
    fields.setdefault("body_html", f"<p>{title}。第一条　为加强文化市场经营场所安全管理，制定本办法。</p>")
    return draft(org, column="policies", title=title, type="policy", **fields)


def interpretation_draft(org, policy, title=None, author="editor", **fields):
    title = title or f"《{policy.title}》政策解读"
    fields.setdefault("body_html", f"<p>{title}：一、制定背景。二、主要内容。三、适用范围。</p>")
    return draft(org, column="interpretations", title=title, type="interpretation", author=author,
                 interprets_id=policy.id, **fields)


def to_final_stage(item):
    """Submit and approve every stage but the last (three-stage: section chief, office)."""
    fire(item, user(item.author.username), "submit")
    chief = "chief" if item.section.code == "market" else "chief2"
    fire(item, user(chief), "approve")
    fire(item, user("auditor"), "approve", confidentiality_checked=True)
    db.session.commit()
    assert item.state == "pending_leader"
    return item


def sign_off(item, username="leader"):
    result = fire(item, user(username), "approve")
    db.session.commit()
    return result

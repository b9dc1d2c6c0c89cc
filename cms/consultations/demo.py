"""A demo consultation, open for 30 days from the day the demo is loaded (only for the running demo: tests
start without one)."""
from datetime import timedelta

from cms.clock import local_today
from cms.content.models import Item

TITLE = "关于《嘉峪关市文化市场经营场所安全管理办法（征求意见稿）》公开征求意见的公告"
BODY = ("<p>为加强全市文化市场经营场所安全管理，我局起草了《嘉峪关市文化市场经营场所安全管理办法（征求意见稿）》，"
        "现向社会公开征求意见。欢迎社会各界通过本页面提出意见建议。</p>"
        "<p>附：管理办法（征求意见稿）全文。第一条　为加强文化市场经营场所安全管理……</p>")


def seed_demo_consultation(org):
    """Create and publish the demo consultation unless it exists; returns it."""
    from cms.accounts.models import User
    from cms.consultations.records import save_consultation
    from cms.content.catalog import get_column
    from cms.content.services import create_item
    from cms.extensions import db
    from cms.workflow.engine import fire

    existing = Item.query.filter_by(organization_id=org.id, title=TITLE).first()
    if existing is not None:
        return existing
    users = {u.username: u for u in User.query.filter(User.username.in_(["editor", "chief", "auditor", "leader"]))}
    column = get_column(org.id, "consultations")
    if column is None or len(users) < 4:
        return None
    item = create_item(users["editor"], column, type="consultation", title=TITLE, body_html=BODY, topic="文化",
                       five_public="decision")
    today = local_today()
    save_consultation(item, {"kind": "major_decision", "opens_on": today, "closes_on": today + timedelta(days=30),
                             "shortened_reason": None})
    fire(item, users["editor"], "submit")
    fire(item, users["chief"], "approve")
    fire(item, users["auditor"], "approve", confidentiality_checked=True)
    fire(item, users["leader"], "approve")
    db.session.flush()
    return item

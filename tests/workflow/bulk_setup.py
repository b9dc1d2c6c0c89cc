"""Five items waiting for the leader's sign-off, one of which is a near-duplicate of an item published
(imported) meanwhile in another column: the one-place rule refuses that one at the final approval."""
import json

from cms.content.importer import import_file
from cms.content.models import Item
from cms.extensions import db
from cms.workflow.engine import fire
from tests.content.test_one_place import NOTICE, NOTICE_EDITED
from tests.workflow.helpers import draft, user

TOPICS = (
    ("关于举办全民阅读推广月活动的通知", "为营造书香城市氛围，定于四月在市图书馆举办全民阅读推广月，设置讲座、展览和读书分享会，请各单位组织干部职工参加。"),
    ("关于开展非物质文化遗产普查登记的通知", "根据省厅部署，对全市传统技艺、民俗和曲艺项目开展普查登记，请各县区文化馆于六月底前报送项目清单和传承人信息。"),
    ("关于印刷企业年度核验工作的通知", "全市出版物印刷、包装装潢印刷企业应于三月三十一日前提交年度核验材料，包括营业执照、印刷经营许可证和承印验证记录。"),
    ("关于广播电视设施安全检查的通知", "汛期前对各发射台站、有线电视前端机房的供电、防雷和消防设施进行一次全面检查，发现隐患立即整改并报送整改情况。"),
)


def five_for_the_leader(demo, tmp_path):
    """Returns (items in list order, the refused one). The near-duplicate is listed third."""
    items = []
    for title, text in TOPICS:
        items.append(draft(demo, title=title, body_html=f"<p>{text}</p><p>特此通知。</p>"))
    twin = draft(demo, column="work-news", type="news", title="我局部署两节文化市场专项检查", body_html=NOTICE_EDITED)
    items.insert(2, twin)
    for item in items:
        fire(item, user("editor"), "submit")
        fire(item, user("chief"), "approve")
        fire(item, user("auditor"), "approve", confidentiality_checked=True)
    db.session.commit()
    # Meanwhile the same notice arrives published, through the legacy import, in the notices column.
    path = tmp_path / "legacy.jsonl"
    path.write_text(json.dumps({
        "external_id": "legacy-two-festivals", "column": "notices", "type": "notice",
        "title": "关于开展两节文化市场专项检查的通知", "body_html": NOTICE, "published_at": "2017-09-20T09:00:00+08:00",
    }, ensure_ascii=False) + "\n", encoding="utf-8")
    report = import_file(str(path), org_code=demo.code)
    assert report.created == 1, report.rejected
    db.session.commit()
    assert all(db.session.get(Item, i.id).state == "pending_leader" for i in items)
    return items, twin

"""Published demo items for the demo bureau, run through the real three-stage review (idempotent)."""
from cms.accounts.models import User
from cms.content.catalog import get_column
from cms.content.models import Item
from cms.content.services import create_item
from cms.extensions import db
from cms.workflow.engine import fire

DEMO_ITEMS = (
    {
        "column": "policies", "type": "policy", "author": "editor", "normative": True,
        "title": "嘉峪关市文化广播影视新闻出版局关于加强文化市场经营场所安全管理的规定",
        "doc_number": "嘉文广发〔2017〕31号", "written_date": "2017-08-10", "topic": "文化", "five_public": "decision",
        "body_html": "<p>第一条　为加强全市文化市场经营场所安全管理，保障人民群众生命财产安全，根据有关法律法规，结合本市实际，制定本规定。</p>"
                     "<p>第二条　本规定适用于本市行政区域内的歌舞娱乐场所、游艺娱乐场所、互联网上网服务营业场所和演出场所。</p>"
                     "<p>第三条　经营单位是安全生产的责任主体，应当建立健全安全管理制度，定期开展消防安全检查。</p>",
    },
    {
        "column": "interpretations", "type": "interpretation", "author": "editor", "topic": "文化",
        "title": "《关于加强文化市场经营场所安全管理的规定》政策解读", "written_date": "2017-08-11", "five_public": "decision",
        "interprets_title": "嘉峪关市文化广播影视新闻出版局关于加强文化市场经营场所安全管理的规定",
        "body_html": "<p>一、制定背景：近年来我市文化市场经营场所数量持续增长，安全管理压力加大。</p>"
                     "<p>二、主要内容：明确经营单位的安全主体责任，规定定期检查和隐患整改要求。</p>",
    },
    {
        "column": "notices", "type": "notice", "author": "editor", "topic": "文化", "five_public": "execution",
        "title": "关于开展2017年国庆期间文化市场专项检查的通知", "doc_number": "嘉文广发〔2017〕35号", "written_date": "2017-09-20",
        "body_html": "<p>各文化经营单位：</p><p>为确保国庆期间文化市场安全有序，我局定于9月25日至10月8日开展文化市场专项检查。</p>",
    },
    {
        "column": "work-news", "type": "news", "author": "editor2", "topic": "广电", "five_public": "result",
        "title": "我局完成2017年度广播电视“村村通”设备巡检工作", "written_date": "2017-10-15",
        "body_html": "<p>10月上旬，我局组织技术人员对全市各村广播电视“村村通”设备进行了巡检，共检修设备126台套。</p>",
    },
    {
        "column": "budget", "type": "budget", "author": "editor", "topic": "财政", "five_public": "result",
        "title": "嘉峪关市文化广播影视新闻出版局2017年部门预算公开说明", "written_date": "2017-02-15",
        "body_html": "<p>一、部门主要职责。二、2017年部门预算收支总表。三、“三公”经费预算情况说明：2017年“三公”经费预算12.5万元。</p>",
    },
    {
        "column": "guide", "type": "guide", "author": "editor", "topic": "政务公开", "five_public": "service",
        "title": "嘉峪关市文化广播影视新闻出版局政府信息公开指南", "written_date": "2017-01-05",
        "body_html": "<p>一、主动公开：本机关主动公开的政府信息通过本网站“主动公开基本目录”发布。</p>"
                     "<p>二、依申请公开：公民、法人或者其他组织可以通过本网站在线提交申请，本机关自收到申请之日起20个工作日内答复。</p>",
    },
)


def seed_demo_items(org):
    """Create and publish the demo items that do not exist yet (matched by title)."""
    users = {u.username: u for u in User.query.filter(User.username.in_(["editor", "editor2", "chief", "chief2", "auditor", "leader"]))}
    waiting = {}
    for spec in DEMO_ITEMS:
        if Item.query.filter_by(organization_id=org.id, title=spec["title"]).first():
            continue
        fields = {k: v for k, v in spec.items() if k not in ("column", "author", "interprets_title")}
        if spec.get("interprets_title"):
            policy = Item.query.filter_by(organization_id=org.id, title=spec["interprets_title"]).first()
            fields["interprets_id"] = policy.id if policy else None
        author = users[spec["author"]]
        item = create_item(author, get_column(org.id, spec["column"]), **fields)
        chief = users["chief"] if item.section.code == "market" else users["chief2"]
        fire(item, author, "submit")
        fire(item, chief, "approve")
        fire(item, users["auditor"], "approve", confidentiality_checked=True)
        # 同步审签: a policy with an interpretation waits at the final stage for it; signing the policy off
        # then publishes both.
        if any(other.get("interprets_title") == spec["title"] for other in DEMO_ITEMS):
            waiting[spec["title"]] = item
            continue
        policy = waiting.pop(spec.get("interprets_title"), None)
        fire(policy or item, users["leader"], "approve")
    db.session.flush()

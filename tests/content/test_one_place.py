"""The one-place rule: positive and negative cases with real-looking Chinese texts."""
import pytest

from cms.content import fingerprints as fp
from cms.content import one_place
from cms.content.models import ItemNearKey
from cms.content.one_place import check, find_conflicts, normalize_doc_number, normalize_text
from cms.content.sanitize import html_to_text
from cms.extensions import db
from cms.errors import ConditionFailed
from cms.workflow.engine import fire
from tests.workflow.helpers import draft, publish, user

NOTICE = (
    "<p>各县区文化主管部门、各文化经营单位：</p>"
    "<p>为切实做好2017年国庆、中秋“两节”期间文化市场管理工作，营造安全、健康、有序的节日文化市场环境，"
    "经研究，决定在全市范围内开展文化市场专项检查。现将有关事项通知如下：</p>"
    "<p>一、检查时间：2017年9月25日至10月8日。</p>"
    "<p>二、检查重点：歌舞娱乐场所、互联网上网服务营业场所、演出场所的消防安全和未成年人保护情况。</p>"
    "<p>三、工作要求：各单位要高度重视，落实安全主体责任，发现问题及时整改。</p>"
)
# The same notice re-typed: full-width digits, different spacing and punctuation.
NOTICE_RETYPED = (
    "<p>各县区文化主管部门,各文化经营单位:</p>"
    "<p>为切实做好２０１７年国庆 中秋 \"两节\" 期间文化市场管理工作, 营造安全 健康 有序的节日文化市场环境,"
    "经研究, 决定在全市范围内开展文化市场专项检查. 现将有关事项通知如下:</p>"
    "<p>一 检查时间: ２０１７年９月２５日至１０月８日.</p>"
    "<p>二 检查重点: 歌舞娱乐场所 互联网上网服务营业场所 演出场所的消防安全和未成年人保护情况.</p>"
    "<p>三 工作要求: 各单位要高度重视, 落实安全主体责任, 发现问题及时整改.</p>"
)
# A light edit of the notice (one sentence reworded): a near-duplicate.
NOTICE_EDITED = NOTICE.replace("各单位要高度重视，落实安全主体责任", "各单位要高度重视并落实安全主体责任")


def budget_report(quarter, income, spending, staff):
    return (
        f"<p>嘉峪关市文化广播影视新闻出版局2017年第{quarter}季度预算执行情况</p>"
        f"<p>一、收入情况：本季度一般公共预算收入{income}万元，其中财政拨款收入{income}万元。</p>"
        f"<p>二、支出情况：本季度一般公共预算支出{spending}万元，其中基本支出{spending - 20}万元，项目支出20万元。</p>"
        f"<p>三、人员情况：期末在职人员{staff}人。</p>"
        "<p>四、“三公”经费：本季度因公出国（境）费0万元，公务接待费严格按标准执行。</p>"
        "<p>五、说明：本报告所列预算执行数据为快报数，最终以年度部门决算为准。我局严格执行中央八项规定精神，"
        "厉行节约，从严控制一般性支出，切实提高财政资金使用效益。预算执行中如有疑问，请与局办公室联系，"
        "联系电话在政府信息公开指南中公布。欢迎社会各界对我局预算执行情况进行监督。</p>"
    )


def test_normalization():
    assert normalize_text("２０１７年，文化　市场！ABC") == "2017年文化市场abc"
    assert normalize_doc_number("嘉文广发［2017］31号") == normalize_doc_number("嘉文广发〔２０１７〕 31号")


def _fingerprint(html):
    return fp.body_fingerprint(html_to_text(html))


def test_retyped_text_has_the_same_signature_and_an_edited_text_a_close_one():
    a, b, c = _fingerprint(NOTICE), _fingerprint(NOTICE_RETYPED), _fingerprint(NOTICE_EDITED)
    assert a["body_minhash"] == b["body_minhash"] and a["keys"] == b["keys"]
    assert a["body_minhash"] != c["body_minhash"]
    assert fp.is_near_duplicate(a, c)
    assert set(a["keys"]) & set(c["keys"])  # the indexed lookup finds it


def _conflict_ids(item):
    return [c.id for c in find_conflicts(item)]


def test_same_doc_number_in_another_column_is_refused(demo):
    first = publish(draft(demo, column="policies", type="policy", title="文化市场安全管理规定", doc_number="嘉文广发〔2018〕7号"))
    second = draft(demo, column="notices", title="另一标题", doc_number="嘉文广发[２０１８]7号")
    assert _conflict_ids(second) == [first.id]
    with pytest.raises(ConditionFailed):
        fire(second, user("editor"), "submit")


def test_same_body_differing_only_in_punctuation_spacing_and_width_is_refused(demo):
    first = publish(draft(demo, title="关于开展两节文化市场专项检查的通知", body_html=NOTICE))
    second = draft(demo, column="work-news", type="news", title="我局开展两节文化市场检查", body_html=NOTICE_RETYPED)
    assert _conflict_ids(second) == [first.id]


def test_near_duplicate_body_is_refused(demo):
    first = publish(draft(demo, title="关于开展两节文化市场专项检查的通知", body_html=NOTICE))
    second = draft(demo, column="work-news", type="news", title="两节检查工作动态", body_html=NOTICE_EDITED)
    assert _conflict_ids(second) == [first.id]


def test_pending_items_count_too(demo):
    first = draft(demo, title="关于开展两节文化市场专项检查的通知", body_html=NOTICE)
    fire(first, user("editor"), "submit")
    second = draft(demo, column="work-news", type="news", title="工作动态", body_html=NOTICE_RETYPED)
    assert _conflict_ids(second) == [first.id]


def test_drafts_do_not_block_each_other(demo):
    draft(demo, title="关于开展两节文化市场专项检查的通知", body_html=NOTICE)
    second = draft(demo, column="work-news", type="news", title="工作动态", body_html=NOTICE_RETYPED)
    assert _conflict_ids(second) == []


def test_quarterly_reports_with_different_figures_pass(demo):
    q1 = publish(draft(demo, column="budget", type="budget", title="2017年第一季度预算执行情况",
                       body_html=budget_report("一", 312, 298, 46)))
    q2 = draft(demo, column="budget", type="budget", title="2017年第二季度预算执行情况",
               body_html=budget_report("二", 312, 298, 47))
    _, containment = fp.similarity(fp.signature_from_bytes(q1.body_minhash), q1.body_shingles,
                                   fp.signature_from_bytes(q2.body_minhash), q2.body_shingles)
    assert containment >= fp.NEAR_DUPLICATE_CONTAINMENT  # the texts alone look like duplicates...
    assert _conflict_ids(q2) == [] and check(q2).warnings == []  # ...but report different figures
    fire(q2, user("editor"), "submit")


def test_similar_topic_different_text_passes(demo):
    publish(draft(demo, title="关于开展两节文化市场专项检查的通知", body_html=NOTICE))
    other = draft(demo, column="work-news", type="news", title="我局召开文化市场安全生产工作会议",
                  body_html="<p>9月20日，我局召开全市文化市场安全生产工作会议，传达学习上级安全生产工作部署，"
                            "分析当前文化市场安全形势，要求各经营单位落实主体责任，确保节日期间不发生安全事故。</p>")
    assert _conflict_ids(other) == []


def test_same_title_and_written_date_is_refused_but_not_with_another_date(demo):
    first = publish(draft(demo, title="2017年度政府信息公开工作年度报告", column="annual-reports", type="annual_report",
                          written_date="2018-01-15", body_html="<p>报告正文甲。</p>"))
    same = draft(demo, title="2017年度政府信息公开工作年度报告 ", column="notices", written_date="2018-01-15",
                 body_html="<p>完全不同的正文乙，介绍其他事项。</p>")
    assert _conflict_ids(same) == [first.id]
    other_year = draft(demo, title="2017年度政府信息公开工作年度报告", column="notices", written_date="2019-01-15",
                       body_html="<p>完全不同的正文丙。</p>")
    assert _conflict_ids(other_year) == []


def test_a_working_copy_does_not_conflict_with_its_original(demo):
    from cms.content.services import update_item

    live = publish(draft(demo, title="关于开展两节文化市场专项检查的通知", body_html=NOTICE))
    copy = update_item(live, user("editor"), live.version, summary="补充摘要")
    assert _conflict_ids(copy) == []
    fire(copy, user("editor"), "submit")


# A regulation in several chapters (articles as paragraphs), for edited copies and other chapters.
CHAPTER_ONE = [
    "第一条 为了加强本市文化市场管理，维护文化市场经营秩序，保障文化经营者和消费者的合法权益，促进文化事业繁荣发展，根据有关法律、法规，结合本市实际，制定本条例。",
    "第二条 本条例所称文化市场，是指以商品和服务形式进行文化娱乐、演出、艺术品经营、音像制品经营、互联网上网服务等经营活动的场所和领域。",
    "第三条 本市行政区域内从事文化市场经营活动和管理活动的单位和个人，应当遵守本条例。",
    "第四条 市文化行政部门负责全市文化市场的管理工作，区县文化行政部门负责本行政区域内文化市场的管理工作。公安、市场监管、消防等部门按照各自职责，做好文化市场管理的相关工作。",
    "第五条 文化市场管理应当坚持社会效益优先、社会效益和经济效益相统一的原则，鼓励健康有益的文化经营活动，禁止违法的文化经营活动。",
    "第六条 文化市场行业协会应当加强行业自律，引导会员依法经营、诚信经营，维护会员的合法权益。",
]
CHAPTER_THREE = [
    "第十八条 演出场所经营单位应当在营业场所的显著位置悬挂营业执照和许可证，并遵守消防、卫生、治安等管理规定，保证观众安全。",
    "第十九条 营业性演出不得含有危害国家统一、主权和领土完整，宣扬淫秽、赌博、暴力或者教唆犯罪，以及法律、行政法规禁止的其他内容。",
    "第二十条 演出举办单位应当按照核准的演出内容组织演出，不得以假唱欺骗观众，不得以政府或者政府部门的名义举办营业性演出。",
    "第二十一条 演出场所容纳的观众数量应当符合核定的数量，演出举办单位不得出售超过核定数量的门票。",
    "第二十二条 本市鼓励演出经营主体创作、演出具有地方特色的优秀剧目，文化行政部门应当给予扶持。",
]


def _html(paragraphs):
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _edited(paragraphs):
    """Punctuation and width changes, extra whitespace, a few characters changed, one paragraph dropped."""
    kept = paragraphs[:2] + paragraphs[3:]
    text = [p.replace("，", ", ").replace("。", ". ").replace("、", " ") for p in kept]
    text[0] = text[0].replace("维护", "维持").replace("繁荣", "兴旺")  # ~2 % of the characters
    text[1] = text[1].replace("本条例", "本 条例").replace("经营", "經營", 1)
    return _html(text)


def test_an_edited_copy_in_another_column_is_refused(demo):
    first = publish(draft(demo, column="policies", type="policy", title="某市文化市场管理条例（第一章 总则）",
                          body_html=_html(CHAPTER_ONE)))
    copy = draft(demo, column="notices", title="文化市场管理有关规定", body_html=_edited(CHAPTER_ONE))
    assert _conflict_ids(copy) == [first.id]
    assert check(copy).conflicts[0].rule == "near_duplicate"
    with pytest.raises(ConditionFailed):
        fire(copy, user("editor"), "submit")


def test_another_chapter_of_the_same_regulation_is_accepted(demo):
    publish(draft(demo, column="policies", type="policy", title="某市文化市场管理条例（第一章 总则）",
                  body_html=_html(CHAPTER_ONE)))
    other = draft(demo, column="policies", type="policy", title="某市文化市场管理条例（第三章 演出管理）",
                  body_html=_html(CHAPTER_THREE))
    result = check(other)
    assert result.conflicts == [] and result.warnings == []
    fire(other, user("editor"), "submit")
    assert other.state == "pending_section"


def test_a_near_duplicate_in_the_same_column_is_a_warning_not_a_refusal(demo):
    first = publish(draft(demo, column="policies", type="policy", title="某市文化市场管理条例（第一章 总则）",
                          body_html=_html(CHAPTER_ONE)))
    copy = draft(demo, column="policies", type="policy", title="某市文化市场管理条例（修订稿）",
                 body_html=_edited(CHAPTER_ONE))
    result = check(copy)
    assert result.conflicts == []
    assert [m.item.id for m in result.warnings] == [first.id]
    warnings = one_place.warnings_for(copy, user("editor"))
    assert warnings[0]["id"] == first.id and "修订现有信息" in warnings[0]["message"]
    fire(copy, user("editor"), "submit")
    assert copy.state == "pending_section"


def test_band_keys_follow_the_body_and_fingerprints_are_not_recomputed_at_sign_off(demo, monkeypatch):
    item = draft(demo, column="policies", type="policy", title="某市文化市场管理条例（第一章 总则）",
                 body_html=_html(CHAPTER_ONE))
    db.session.flush()
    keys = {k for (k,) in db.session.query(ItemNearKey.key).filter_by(item_id=item.id)}
    assert keys == set(_fingerprint(_html(CHAPTER_ONE))["keys"])
    item.body_html = _html(CHAPTER_THREE)
    db.session.flush()
    keys = {k for (k,) in db.session.query(ItemNearKey.key).filter_by(item_id=item.id)}
    assert keys == set(_fingerprint(_html(CHAPTER_THREE))["keys"])

    calls = []
    original = one_place.body_fingerprint
    monkeypatch.setattr(one_place, "body_fingerprint", lambda text: calls.append(1) or original(text))
    publish(item)
    assert calls == []  # submit and three approvals use the stored fingerprints


def test_a_refusal_does_not_name_a_pending_item_the_caller_may_not_read(client, demo, token_for):
    other = draft(demo, column="notices", title="广电科内部待审通知", author="editor2",
                  doc_number="嘉文广发〔2018〕9号")
    fire(other, user("editor2"), "submit")
    db.session.commit()
    editor = token_for("editor")
    mine = client.post("/api/v1/items", headers=editor, json={
        "column": "policies", "type": "policy", "title": "另一个标题", "body_html": "<p>不同的正文内容。</p>",
        "doc_number": "嘉文广发[2018]9号"}).get_json()
    response = client.post(f"/api/v1/items/{mine['id']}/transitions", json={"name": "submit"}, headers=editor)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["conflicts"] == [{"column": "notices", "state": "pending", "rule": "doc_number"}]
    text = response.get_data(as_text=True)
    assert "广电科内部待审通知" not in text and str(other.id) not in error["message"]
    assert "待审核" in error["message"]

    # The office auditor may read every section's items: the same refusal names it for them.
    auditor_view = one_place.describe(check(db.session.get(type(other), mine["id"])).conflicts[0], user("auditor"))
    assert auditor_view["id"] == other.id and auditor_view["title"] == "广电科内部待审通知"


def test_a_published_conflict_is_named_to_anyone(client, demo, token_for):
    first = publish(draft(demo, column="notices", title="已公开的通知", author="editor2",
                          doc_number="嘉文广发〔2018〕10号"))
    editor = token_for("editor")
    mine = client.post("/api/v1/items", headers=editor, json={
        "column": "policies", "type": "policy", "title": "另一个标题", "body_html": "<p>不同的正文内容。</p>",
        "doc_number": "嘉文广发〔2018〕10号"}).get_json()
    response = client.post(f"/api/v1/items/{mine['id']}/transitions", json={"name": "submit"}, headers=editor)
    assert response.status_code == 422
    conflict = response.get_json()["error"]["conflicts"][0]
    assert conflict["id"] == first.id and conflict["title"] == "已公开的通知"


def test_the_api_reports_a_same_column_near_duplicate_as_a_warning(client, demo, token_for):
    first = publish(draft(demo, column="policies", type="policy", title="某市文化市场管理条例（第一章 总则）",
                          body_html=_html(CHAPTER_ONE)))
    editor = token_for("editor")
    created = client.post("/api/v1/items", headers=editor, json={
        "column": "policies", "type": "policy", "title": "某市文化市场管理条例（修订稿）",
        "body_html": _edited(CHAPTER_ONE)})
    assert created.status_code == 201
    assert [w["id"] for w in created.get_json()["warnings"]] == [first.id]
    submitted = client.post(f"/api/v1/items/{created.get_json()['id']}/transitions", json={"name": "submit"},
                            headers=editor)
    assert submitted.status_code == 200
    assert submitted.get_json()["state"] == "pending_section"
    assert submitted.get_json()["warnings"][0]["rule"] == "near_duplicate"


def test_refresh_command_fingerprints_rows_written_by_sql(app, demo):
    from sqlalchemy import update

    item = draft(demo, column="policies", type="policy", title="某市文化市场管理条例（第一章 总则）",
                 body_html=_html(CHAPTER_ONE))
    db.session.commit()
    version = item.version
    db.session.execute(update(type(item).__table__).values(body_hash=None, body_minhash=None))
    db.session.execute(ItemNearKey.__table__.delete())
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["cms", "one-place", "refresh"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert item.body_minhash == _fingerprint(_html(CHAPTER_ONE))["body_minhash"] and item.version == version
    assert db.session.query(ItemNearKey).filter_by(item_id=item.id).count() > 0

"""The one-place rule: positive and negative cases with real-looking Chinese texts."""
import pytest

from cms.content.one_place import (
    NEAR_DUPLICATE_BITS,
    find_conflicts,
    hamming,
    normalize_doc_number,
    normalize_text,
    simhash,
)
from cms.content.sanitize import html_to_text
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


def test_simhash_of_retyped_text_is_identical_and_of_edited_text_close():
    def text(html):
        return normalize_text(html_to_text(html))

    a = simhash(text(NOTICE))
    assert a == simhash(text(NOTICE_RETYPED))
    assert 0 < hamming(a, simhash(text(NOTICE_EDITED))) <= NEAR_DUPLICATE_BITS


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
    assert hamming(q1.body_simhash, q2.body_simhash) <= NEAR_DUPLICATE_BITS  # SimHash alone calls them duplicates...
    assert _conflict_ids(q2) == []  # ...but report different figures
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

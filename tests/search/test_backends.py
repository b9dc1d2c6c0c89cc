"""The same backend suite for Whoosh and PostgreSQL: phrases, mixed text, filters, sorting, safety."""
import pytest

from cms.content.models import Item
from cms.extensions import db
from cms.search.backend import Query
from cms.search.service import drain, get_backend, reindex, search, verify
from cms.search.models import SearchOutbox
from cms.workflow.engine import fire
from tests.workflow.helpers import draft, publish, user

LAW = ("<p>第十二条 互联网上网服务营业场所经营单位不得接纳未成年人进入营业场所。</p>"
       "<p>第十三条 歌舞娱乐场所不得在每日凌晨2时至上午8时营业，演出场所应当按照核定人数售票。</p>")


@pytest.fixture
def corpus(demo, backend_name):
    items = {
        "law": publish(draft(demo, column="policies", type="policy", title="文化市场经营场所管理办法",
                             doc_number="嘉文广发〔2016〕131号", body_html=LAW)),
        "news": publish(draft(demo, column="work-news", type="news", title="我局召开WTO规则培训会",
                              body_html="<p>邀请专家讲解WTO服务贸易规则与文化产品进出口管理。</p>")),
        "notice": publish(draft(demo, title="关于做好2018年春节文化市场检查的通知",
                                body_html="<p>春节期间开展文化市场检查，重点检查上网服务营业场所。</p>")),
    }
    get_backend().clear()
    reindex()
    return items


def ids(text, **filters):
    return [h.id for h in search(Query(text=text, **filters)).hits]


def test_a_pasted_phrase_finds_its_document(corpus):
    assert ids("不得接纳未成年人进入")[0] == corpus["law"].id
    assert ids("凌晨2时至上午8时") == [corpus["law"].id]


def test_phrases_do_not_match_scattered_characters(corpus):
    assert ids('"未成年人进入歌舞"') == []


def test_doc_numbers_years_and_acronyms(corpus):
    assert ids("嘉文广发〔2016〕131号")[0] == corpus["law"].id
    assert ids("嘉文广发[2016]131号")[0] == corpus["law"].id
    assert corpus["news"].id in ids("wto")
    assert ids("2018年 春节") == [corpus["notice"].id]


def test_filters_and_sorting(corpus):
    law, notice = corpus["law"].id, corpus["notice"].id
    assert {law, notice} <= set(ids("上网服务营业场所"))
    in_policies = ids("上网服务营业场所", column="policies")
    assert law in in_policies and notice not in in_policies
    assert ids("上网服务营业场所", type="notice") == [notice]
    assert ids("上网服务营业场所", year=1999) == []
    by_date = ids("上网服务营业场所", sort="date")
    assert by_date.index(notice) < by_date.index(law)


def test_pagination(corpus):
    first = search(Query(text="场所", per_page=1, page=1))
    second = search(Query(text="场所", per_page=1, page=2))
    assert first.total == second.total >= 2
    assert first.hits[0].id != second.hits[0].id
    assert search(Query(text="场所", per_page=1, page=999)).hits == []


@pytest.mark.parametrize("text", ['"未闭合', "title:文化 AND OR NOT", "((())) * ? ~ ^ \\", "文化" * 5000,
                                  "\x00\x01\x1b[31m", "😀🎉 文化", "'; DROP TABLE items; --", "<script>", "   "])
def test_any_input_is_safe(corpus, text):
    results = search(Query(text=text))
    assert results.total >= 0


def test_only_public_items_are_indexed(demo, backend_name):
    get_backend().clear()
    secret = draft(demo, title="尚未发布的草稿SECRETDRAFT")
    fire(secret, user("editor"), "submit")
    db.session.commit()
    drain()
    assert ids("SECRETDRAFT") == []
    assert secret.id not in get_backend().ids()


def test_retraction_and_revision_update_the_index(demo, backend_name):
    reindex()
    item = publish(draft(demo, title="索引更新测试", body_html="<p>第一版正文ALPHAVERSION</p>"))
    assert ids("ALPHAVERSION") == [item.id]
    fire(db.session.get(Item, item.id), user("auditor"), "retract", comment="撤下")
    db.session.commit()
    assert ids("ALPHAVERSION") == []
    assert verify() == ([], [])


def test_crash_between_commit_and_index_write_is_repaired_by_sync(app, demo, backend_name):
    reindex()
    app.config["CMS_SEARCH_SYNC"] = False  # the after-commit drain "crashes"
    try:
        item = publish(draft(demo, title="崩溃恢复测试CRASHTEST"))
    finally:
        app.config["CMS_SEARCH_SYNC"] = True
    assert SearchOutbox.query.filter_by(item_id=item.id).count() == 1
    assert ids("CRASHTEST") == []
    assert item.id in verify()[0]
    runner = app.test_cli_runner()
    result = runner.invoke(args=["cms", "search", "verify"])
    assert result.exit_code == 1 and str(item.id) in result.output
    result = runner.invoke(args=["cms", "search", "sync"])
    assert result.exit_code == 0
    assert ids("CRASHTEST") == [item.id]
    assert runner.invoke(args=["cms", "search", "verify"]).exit_code == 0


def test_reindex_command_rebuilds_the_index(app, corpus):
    get_backend().clear()
    assert ids("不得接纳未成年人进入") == []
    db.session.commit()  # as a request would: the rebuild's swap waits for readers of the live table
    result = app.test_cli_runner().invoke(args=["cms", "search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "published item(s)" in result.output
    assert verify() == ([], [])
    assert ids("不得接纳未成年人进入")[0] == corpus["law"].id

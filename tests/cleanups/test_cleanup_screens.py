"""The back-office screen to draft a cleanup list: find documents by column, 文号 and title, give each an
outcome (and the replacing document for 修改), save the draft or submit it into review — the API's rules."""
import pytest

from cms.cleanups.models import CleanupDecision
from cms.cleanups.services import decisions_of
from cms.content.models import Item
from cms.extensions import db
from tests.cleanups.helpers import no_interpretations_needed, published_policy
from tests.conftest import login
from tests.workflow.helpers import draft, publish

TITLE = "关于2026年规范性文件清理结果的公告"


@pytest.fixture
def documents(demo):
    no_interpretations_needed(demo)
    docs = [published_policy(demo, n) for n in (1, 2, 3, 4)]
    db.session.commit()
    return docs


def _row(item, outcome="", replaced_by="", note=""):
    return {"row": str(item.id), f"outcome_{item.id}": outcome, f"replaced_by_{item.id}": str(replaced_by),
            f"note_{item.id}": note}


def _post(client, action, rows, **extra):
    data = {"action": action, "row": [], **extra}
    for row in rows:
        data["row"].append(row.pop("row"))
        data.update(row)
    return client.post("/admin/cleanups/new", data=data)


def test_search_by_column_doc_number_and_title(client, demo, documents):
    keep, amend, repeal, new = documents
    news = publish(draft(demo, column="work-news", type="news", title="文化市场工作动态一则",
                         body_html="<p>一则与政策无关的工作动态，讲述文化市场检查情况。</p>"))
    login(client, "editor")
    page = client.get("/admin/cleanups/new").get_data(as_text=True)
    assert "起草文件清理结果" in page and 'name="csrf_token"' in page
    for doc in (keep, amend, repeal, new, news):
        assert f'name="outcome_{doc.id}"' in page
    by_number = client.get("/admin/cleanups/new", query_string={"doc_number": "〔2020〕3号"}).get_data(as_text=True)
    assert f'name="outcome_{repeal.id}"' in by_number and f'name="outcome_{keep.id}"' not in by_number
    by_title = client.get("/admin/cleanups/new", query_string={"q": "第2号"}).get_data(as_text=True)
    assert f'name="outcome_{amend.id}"' in by_title and f'name="outcome_{new.id}"' not in by_title
    policies = keep.column_id
    by_column = client.get("/admin/cleanups/new", query_string={"column": str(policies)}).get_data(as_text=True)
    assert f'name="outcome_{keep.id}"' in by_column and f'name="outcome_{news.id}"' not in by_column
    # Searching again keeps what was already listed, with its outcome.
    kept = _post(client, "search", [_row(keep, "keep", note="继续适用")], q="第3号").get_data(as_text=True)
    assert "清理清单（1 件）" in kept and 'value="keep" selected' in kept and "继续适用" in kept
    assert f'name="outcome_{repeal.id}"' in kept and f'name="outcome_{amend.id}"' not in kept


def test_draft_then_submit_into_review(client, demo, documents):
    keep, amend, repeal, new = documents
    login(client, "editor")
    rows = [_row(keep, "keep", note="符合上位法"), _row(amend, "amend", new.id), _row(repeal, "repeal"),
            _row(new)]  # no outcome: not listed
    response = _post(client, "draft", rows, title=TITLE, intro="根据有关规定\n对本局文件进行了清理")
    assert response.status_code == 302
    item = Item.query.filter_by(type="cleanup").one()
    assert response.headers["Location"].endswith(f"/admin/items/{item.id}")
    assert (item.state, item.column.code, item.title) == ("draft", "policies", TITLE)
    assert "<p>对本局文件进行了清理</p>" in item.body_html
    assert [(d.item_id, d.outcome, d.replaced_by_id, d.note) for d in decisions_of(item)] == [
        (keep.id, "keep", None, "符合上位法"), (amend.id, "amend", new.id, None), (repeal.id, "repeal", None, None)]
    # Submit straight into review: the same list, now waiting for the section chief.
    response = _post(client, "submit", [_row(repeal, "expire", note="已不适用")], title="另一份清理结果")
    assert response.status_code == 302
    submitted = Item.query.filter_by(type="cleanup", title="另一份清理结果").one()
    assert submitted.state.startswith("pending_")
    assert [(d.outcome, d.note) for d in decisions_of(submitted)] == [("expire", "已不适用")]
    listing = client.get("/admin/cleanups").get_data(as_text=True)
    assert TITLE in listing and "另一份清理结果" in listing and 'id="cleanup-new-link"' in listing


def test_refusals_keep_the_form_and_name_the_documents(client, demo, documents):
    keep, amend, repeal, new = documents
    login(client, "editor")
    no_replacement = _post(client, "draft", [_row(amend, "amend"), _row(keep, "keep")], title=TITLE)
    assert no_replacement.status_code == 422
    page = no_replacement.get_data(as_text=True)
    assert "“修改”须指明已发布的修订后文件" in page and 'value="amend" selected' in page and TITLE in page
    assert f'id="row-{amend.id}" class="has-error"' in page and f'id="row-{keep.id}" class="has-error"' not in page
    bad_number = _post(client, "draft", [_row(amend, "amend", "十二")], title=TITLE)
    assert bad_number.status_code == 422 and "正整数" in bad_number.get_data(as_text=True)
    replaced_by_keep = _post(client, "draft", [_row(keep, "keep", new.id)], title=TITLE)
    assert replaced_by_keep.status_code == 302  # a replacement is only read for 修改, as the form says
    assert _post(client, "draft", [_row(keep)], title=TITLE).status_code == 422  # nothing listed
    assert _post(client, "draft", [_row(keep, "keep")], title=" ").status_code == 422
    assert _post(client, "nope", [_row(keep, "keep")], title=TITLE).status_code == 400
    junk = client.post("/admin/cleanups/new", data={"action": "draft", "title": TITLE, "row": ["x", "99999999999"],
                                                    "outcome_x": "keep"})
    assert junk.status_code == 422
    assert Item.query.filter_by(type="cleanup").count() == 1


def test_other_organization_or_unpublished_documents_are_refused(client, demo, documents):
    keep = documents[0]
    login(client, "editor")
    unpublished = draft(demo, column="policies", type="policy", title="尚未发布的规范性文件",
                        body_html="<p>尚未发布的规范性文件正文，第九条。</p>")
    db.session.commit()
    response = _post(client, "draft", [_row(keep, "keep"), _row(unpublished, "repeal")], title=TITLE)
    assert response.status_code == 422
    assert "未发布" in response.get_data(as_text=True)
    assert CleanupDecision.query.count() == 0


def test_only_editors_draft_and_csrf_is_checked(app, client, demo, documents):
    keep = documents[0]
    login(client, "auditor")
    assert client.get("/admin/cleanups").status_code == 200
    assert 'id="cleanup-new-link"' not in client.get("/admin/cleanups").get_data(as_text=True)
    assert client.get("/admin/cleanups/new").status_code == 403
    assert _post(client, "draft", [_row(keep, "keep")], title=TITLE).status_code == 403
    validity = client.get(f"/admin/items/{keep.id}/validity").get_data(as_text=True)
    assert 'id="cleanup-link"' in validity
    client.post("/logout")
    login(client, "editor")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert _post(client, "draft", [_row(keep, "keep")], title=TITLE).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert Item.query.filter_by(type="cleanup").count() == 0

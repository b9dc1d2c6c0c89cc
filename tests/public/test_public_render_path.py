"""The public pages' cheap render path: one state statement, the column tree as views, list statements
built once per filter shape, memoized links. Same pages as before, and they follow every change."""
import re

import pytest

from cms.blueprints.public.page_cache import column_pages
from cms.content.catalog import get_column
from cms.content.columns import add_reference, create_column, update_column
from cms.content.services import set_validity
from cms.extensions import db
from tests.workflow.helpers import draft, publish, user


def _titles(html):
    return re.findall(r'<td class="c-title" data-label="标题"><a href="/items/\d+">([^<]+)</a>', html)


@pytest.fixture
def page_cache(app):
    app.config["CMS_PAGE_CACHE"] = True
    column_pages.clear()
    yield
    app.config["CMS_PAGE_CACHE"] = False
    column_pages.clear()


def test_like_wildcards_in_title_words_are_literal(client, demo):
    publish(draft(demo, title="完成率100%_的通报"))
    publish(draft(demo, title="一般的通知"))
    for word in ("%", "_", "100%_"):
        html = client.get("/columns/notices", query_string={"q": word}).get_data(as_text=True)
        assert _titles(html) == ["完成率100%_的通报"], word
        assert "共 <strong>1</strong> 条" in html


def test_cross_referenced_items_are_listed_and_filtered_with_the_column(client, demo):
    own = publish(draft(demo, title="本栏目的通知"))
    policy = publish(draft(demo, column="policies", type="policy", title="被引用的政策文件"))
    add_reference(get_column(demo.id, "notices"), policy, user("admin"))
    db.session.commit()
    html = client.get("/columns/notices").get_data(as_text=True)
    assert {"本栏目的通知", "被引用的政策文件"} <= set(_titles(html))
    set_validity(own, user("auditor"), "expired", "2020-01-01")
    db.session.commit()
    html = client.get("/columns/notices?validity=expired").get_data(as_text=True)
    assert _titles(html) == ["本栏目的通知"] and "共 <strong>1</strong> 条" in html
    html = client.get("/columns/notices?validity=valid").get_data(as_text=True)
    assert "被引用的政策文件" in _titles(html) and "本栏目的通知" not in _titles(html)
    html = client.get("/columns/notices", query_string={"q": "政策"}).get_data(as_text=True)
    assert _titles(html) == ["被引用的政策文件"]


def test_filtered_counts_follow_publication(client, demo, page_cache):
    publish(draft(demo, title="计数通知一", topic="计数"))
    assert "共 <strong>1</strong> 条" in client.get("/columns/notices?topic=计数").get_data(as_text=True)
    publish(draft(demo, title="计数通知二", topic="计数"))
    html = client.get("/columns/notices?topic=计数").get_data(as_text=True)
    assert "共 <strong>2</strong> 条" in html and set(_titles(html)) == {"计数通知一", "计数通知二"}


def test_a_renamed_parent_column_shows_in_the_kept_page_trail(client, demo, page_cache):
    admin = user("admin")
    parent = create_column(demo, "culture-heritage", "文物保护", ["notice"], admin)
    child = create_column(demo, "heritage-notices", "文物通知", ["notice"], admin, parent=parent)
    db.session.commit()
    publish(draft(demo, column="heritage-notices", title="文物安全检查通知"))
    html = client.get("/columns/heritage-notices").get_data(as_text=True)
    assert "文物保护" in html and "文物安全检查通知" in html
    update_column(parent, admin, name="文物保护与考古")
    db.session.commit()
    html = client.get("/columns/heritage-notices").get_data(as_text=True)
    assert "文物保护与考古" in html  # the trail is part of the page's validator
    home = client.get("/").get_data(as_text=True)
    assert "文物保护与考古" in home
    update_column(child, admin, visible=False)
    db.session.commit()
    assert client.get("/columns/heritage-notices").status_code == 404


def test_links_follow_the_script_root(client, demo):
    item = publish(draft(demo, title="挂在子路径下的通知"))
    plain = client.get("/columns/notices").get_data(as_text=True)
    mounted = client.get("/columns/notices", environ_overrides={"SCRIPT_NAME": "/gk"}).get_data(as_text=True)
    assert f'href="/items/{item.id}"' in plain
    assert f'href="/gk/items/{item.id}"' in mounted and f'href="/items/{item.id}"' not in mounted
    assert f'href="/items/{item.id}"' in client.get("/columns/notices").get_data(as_text=True)


def test_home_page_without_any_item_or_column(client, app):
    from cms.accounts.models import Organization

    db.session.add(Organization(code="empty", name="空机关"))
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert "空机关" in html
    assert client.get("/columns/notices").status_code == 404
    assert client.get("/search?q=通知").status_code == 200


def _same_time(items, when):
    from cms.content.models import Item

    for item in items:
        db.session.get(Item, item.id).published_at = when
    db.session.commit()


def test_deep_pages_read_from_their_start_give_the_offset_pages(client, demo, monkeypatch):
    """Keyset pages (past ``KEYSET_FROM_PAGE``) list exactly what ``OFFSET`` lists, ties on the publication
    time included, and follow a retraction (the page bounds belong to the content generation)."""
    import datetime

    from cms.content import listing, listing_sql
    from cms.workflow.engine import fire

    items = [publish(draft(demo, title=f"分页核对{n:02d}", topic="核对")) for n in range(47)]
    _same_time(items[10:30], datetime.datetime(2026, 3, 1, 8, 0))  # twenty items published at one time

    def pages():
        return [_titles(client.get(f"/columns/notices?page={n}").get_data(as_text=True)) for n in range(1, 5)]

    monkeypatch.setattr(listing, "KEYSET_FROM_PAGE", 10**6)
    by_offset = pages()
    monkeypatch.setattr(listing, "KEYSET_FROM_PAGE", 0)
    assert pages() == by_offset  # first visits: OFFSET, and where each page starts is kept
    seeks = []
    real_seek = listing_sql.page_from_bound
    monkeypatch.setattr(listing_sql, "page_from_bound", lambda *a: seeks.append(a[2]) or real_seek(*a))
    assert pages() == by_offset  # later visits seek to the kept starts
    assert len(seeks) == 3  # pages 1-3 (page 4 is empty: nothing to keep)
    assert sum(len(p) for p in by_offset) == 48  # and the demo's own notice
    fire(items[5], user("auditor"), "retract", comment="核对撤回")
    db.session.commit()
    after = pages()
    assert "分页核对05" not in sum(after, [])
    monkeypatch.setattr(listing, "KEYSET_FROM_PAGE", 10**6)
    assert pages() == after


def test_a_new_cross_reference_shows_on_the_kept_column_page(client, demo, page_cache):
    policy = publish(draft(demo, column="policies", type="policy", title="稍后被引用的政策"))
    before = client.get("/columns/notices").get_data(as_text=True)
    assert "稍后被引用的政策" not in before
    add_reference(get_column(demo.id, "notices"), policy, user("admin"))  # changes no item
    db.session.commit()
    html = client.get("/columns/notices").get_data(as_text=True)
    assert "稍后被引用的政策" in _titles(html)
    html = client.get("/columns/notices?page=1&validity=valid").get_data(as_text=True)
    assert "稍后被引用的政策" in _titles(html)


def test_item_links_and_list_dates_are_what_url_for_and_local_time_give(app):
    """``item_url`` (list pages' item links) and ``local_date`` (their dates) are shortcuts: the same text as
    ``url_for`` and ``to_local(...).strftime``, under a script root too, and on both sides of local midnight."""
    from datetime import datetime, timedelta, timezone

    from flask import url_for

    from cms.clock import local_date_text, to_local

    item_url = app.jinja_env.globals["item_url"]
    for root in ("", "/gk"):
        with app.test_request_context("/", base_url=f"http://127.0.0.1{root}/"):
            for item_id in (1, 42, 100000):
                assert item_url(item_id) == url_for("public.item_detail", item_id=item_id) == f"{root}/items/{item_id}"
    local_date = app.jinja_env.filters["local_date"]
    for value in (datetime(2026, 12, 1, 15, 59, 59), datetime(2026, 12, 1, 16, 0), datetime(2026, 12, 31, 23, 0),
                  datetime(2024, 2, 28, 17, 30), datetime(2026, 6, 1, 8, 0, tzinfo=timezone(timedelta(hours=-5)))):
        assert local_date(value) == local_date_text(value) == to_local(value).strftime("%Y-%m-%d")
    assert local_date(datetime(2026, 12, 1, 16, 0)) == "2026-12-02"
    assert local_date(None) == ""


def test_templates_read_the_environment_globals_directly(app):
    """Templates share the environment's globals dict (no ChainMap copied key by key on every render and
    import): a global registered after a template was loaded still reaches it, imported macros still work,
    and a template loaded with globals of its own keeps them to itself."""
    env = app.jinja_env
    page = env.get_template("public/item_detail.html")
    assert page.globals is env.globals
    env.globals["late_global"] = "registered later"
    try:
        late = env.from_string('{% from "_macros/forms.html" import flashes %}{{ late_global }}')
        with app.test_request_context("/"):
            assert late.render() == "registered later"
    finally:
        del env.globals["late_global"]
    own = env.from_string("{{ mine }}", globals={"mine": "own"})
    assert own.render() == "own" and "mine" not in env.globals


def test_output_escape_writes_what_markupsafe_escape_writes(app):
    """``{{ value }}`` goes through ``output_escape`` (a plain str, no Markup wrapper): the same text as
    markupsafe's ``escape`` for every kind of value, and macros and set blocks are not escaped twice."""
    from datetime import date

    from markupsafe import Markup, escape

    from cms.templating import output_escape

    values = ['<a href="x">&\'', "纯文本", Markup("<b>安全</b>"), 0, 42, -7, True, None, 1.5, date(2026, 12, 7),
              ["<li>"], ""]
    for value in values:
        assert output_escape(value) == str(escape(value)), value
    template = app.jinja_env.from_string(
        "{% macro m(x) %}[{{ x }}]{% endmacro %}{% set block %}<i>{{ v }}</i>{% endset %}"
        "{{ v }}|{{ m(v) }}|{{ block }}|{{ safe }}|{% autoescape false %}{{ v }}{% endautoescape %}")
    assert "output_escape(" in app.jinja_env.compile("{{ v }}", raw=True)
    assert template.render(v="<&>", safe=Markup("<br>")) == (
        "&lt;&amp;&gt;|[&lt;&amp;&gt;]|<i>&lt;&amp;&gt;</i>|<br>|<&>")


def test_template_calls_take_the_short_way_only_when_no_context_is_asked_for(app):
    """Macros and plain callables are called directly; ``pass_context`` functions still get the context (as
    Jinja gives it: a loop's target is not among its variables), callable objects still work, and a
    StopIteration still gives an undefined value."""
    from jinja2 import Environment, pass_context

    @pass_context
    def who(context):
        return context.get("name")

    class Doubler:
        def __call__(self, value):
            return value * 2

    template_source = (
        "{% macro m(a) %}<{{ a }}>{% endmacro %}{{ m(1) }}|{{ who() }}|{{ dict(a=1)|length }}|"
        "{{ range(3)|list }}|{{ double(4) }}|{% for name in ['循环'] %}{{ who() }}{{ m(name) }}{% endfor %}|"
        "{{ text.upper() }}|{{ next_of(empty) }}")
    template = app.jinja_env.from_string(template_source)
    rendered = template.render(name="外层", who=who, double=Doubler(), text="ab", next_of=next, empty=iter([]))
    assert rendered == "<1>|外层|1|[0, 1, 2]|8|外层<循环>|AB|"
    plain = Environment(autoescape=True)  # Jinja's own context gives the same page
    assert plain.from_string(template_source).render(
        name="外层", who=who, double=Doubler(), text="ab", next_of=next, empty=iter([])) == rendered

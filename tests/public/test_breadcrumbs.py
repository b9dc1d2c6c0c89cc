"""Every public page carries the full breadcrumb (首页 > 政府信息公开 > 主动公开基本目录 > column > item)."""
import re

from tests.workflow.helpers import draft, publish


def _trail(html):
    nav = re.search(r'<nav class="breadcrumb" aria-label="当前位置">(.*?)</nav>', html, re.S)
    assert nav, "no breadcrumb"
    return [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li>(.*?)</li>", nav.group(1), re.S)]


def test_item_page_has_the_full_path(client, demo):
    item = publish(draft(demo, title="面包屑测试通知"))
    assert _trail(client.get(f"/items/{item.id}").get_data(as_text=True)) == [
        "首页", "政府信息公开", "主动公开基本目录", "通知公告", "面包屑测试通知"]


def test_column_and_catalog_pages(client, demo):
    assert _trail(client.get("/columns/policies").get_data(as_text=True)) == [
        "首页", "政府信息公开", "主动公开基本目录", "政策文件"]
    assert _trail(client.get("/catalog").get_data(as_text=True)) == ["首页", "政府信息公开", "主动公开基本目录"]


def test_other_public_pages(client, demo):
    assert _trail(client.get("/").get_data(as_text=True)) == ["首页"]
    assert _trail(client.get("/search?q=通知").get_data(as_text=True)) == ["首页", "站内搜索"]
    assert _trail(client.get("/apply").get_data(as_text=True)) == ["首页", "政府信息公开", "依申请公开"]
    assert _trail(client.get("/apply/status").get_data(as_text=True))[-1] == "申请进度查询"
    assert _trail(client.get("/no-such-page").get_data(as_text=True)) == ["首页", "页面不存在"]

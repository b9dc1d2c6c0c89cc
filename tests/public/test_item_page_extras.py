"""Item page: prominent validity, policy <-> interpretation, 上一条/下一条, QR code; the clean print view."""
import re

from cms.content.models import Item
from cms.content.services import set_validity
from cms.extensions import db
from tests.workflow.helpers import draft, publish, user


def test_print_view_is_a_clean_document(client, demo):
    item = publish(draft(demo, title="打印视图测试", doc_number="嘉文广发〔2022〕5号"))
    html = client.get(f"/items/{item.id}/print").get_data(as_text=True)
    assert "打印视图测试" in html and "嘉文广发〔2022〕5号" in html and item.index_no in html
    assert 'class="site-header"' not in html and 'role="search"' not in html and "site-nav" not in html
    assert "css/print.css" in html and "本页网址：" in html and f"/items/{item.id}</span>" in html
    assert re.search(r"打印日期：<time datetime=\"\d{4}-\d{2}-\d{2}\">", html)
    assert "print-dialog.js" not in html  # the dialog opens only on request
    assert "print-dialog.js" in client.get(f"/items/{item.id}/print?print=1").get_data(as_text=True)


def test_print_stylesheet_sets_a4_margins(client):
    css = client.get("/static/css/print.css").get_data(as_text=True)
    assert "@page" in css and "A4" in css and "margin" in css


def test_print_view_lists_attachments_and_hides_unpublished(client, demo):
    item = draft(demo, title="未发布")
    db.session.commit()
    assert client.get(f"/items/{item.id}/print").status_code == 404


def test_qr_code_of_the_page_url_is_inline_svg(client, demo):
    html = client.get("/items/1").get_data(as_text=True)
    svg = re.search(r'<svg role="img"[^>]*class="qr-code"[^>]*><title>本页二维码</title>', html)
    assert svg and 'href="data:image/png;base64,' in html and 'image-rendering="optimizeSpeed"' in html


def decode_qr_svg(html):
    """Read the page's QR code back with a decoder: the PNG inside the SVG, parsed here (8-bit greyscale,
    unfiltered rows, as cms/site/qr.py writes it) and enlarged 4 px a module."""
    import base64
    import struct
    import zlib

    import numpy
    import zxingcpp

    svg = re.search(r'<svg role="img"[^>]*class="qr-code".*?</svg>', html, re.S).group(0)
    png = base64.b64decode(re.search(r'href="data:image/png;base64,([^"]+)"', svg).group(1))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", png[16:26])
    assert (depth, colour) == (8, 0) and width == height
    view_box = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups()
    assert view_box == (str(width), str(height))
    idat = png.index(b"IDAT")
    length = struct.unpack(">I", png[idat - 4:idat])[0]
    raw = zlib.decompress(png[idat + 4:idat + 4 + length])
    rows = [raw[r * (width + 1):(r + 1) * (width + 1)] for r in range(height)]
    assert all(row[0] == 0 for row in rows)  # filter type "none"
    image = numpy.array([list(row[1:]) for row in rows], dtype=numpy.uint8)
    assert set(numpy.unique(image)) <= {0, 255}  # dark and light modules only
    assert image[:4].min() == 255 and image[:, :4].min() == 255  # the quiet zone
    result = zxingcpp.read_barcode(numpy.kron(image, numpy.ones((4, 4), dtype=numpy.uint8)))
    return result.text if result else None


def test_qr_code_scans_to_the_page_url(client, demo):
    item = publish(draft(demo, title="二维码扫描"))
    html = client.get(f"/items/{item.id}").get_data(as_text=True)
    site = client.application.config["CMS_SITE_URL"].rstrip("/")  # the public site's configured address
    assert decode_qr_svg(html) == f"{site}/items/{item.id}"


def test_previous_and_next_within_the_column(client, demo):
    first = publish(draft(demo, title="顺序一"))
    second = publish(draft(demo, title="顺序二"))
    third = publish(draft(demo, title="顺序三"))
    html = client.get(f"/items/{second.id}").get_data(as_text=True)
    assert f'上一条：<a href="/items/{third.id}" rel="prev">顺序三</a>' in html
    assert f'下一条：<a href="/items/{first.id}" rel="next">顺序一</a>' in html
    newest = client.get(f"/items/{third.id}").get_data(as_text=True)
    assert "上一条：<span class=\"hint\">没有了</span>" in newest
    policy = publish(draft(demo, column="policies", type="policy", title="别的栏目"))
    assert "别的栏目" not in client.get(f"/items/{third.id}").get_data(as_text=True).split("上一条")[1]
    assert policy.id


def test_policy_and_interpretation_link_both_ways(client, demo):
    policy = Item.query.filter_by(type="policy").first()
    interpretation = Item.query.filter_by(type="interpretation").first()
    html = client.get(f"/items/{interpretation.id}").get_data(as_text=True)
    assert f'本文是对<a href="/items/{policy.id}">《{policy.title}》</a>的解读' in html
    html = client.get(f"/items/{policy.id}").get_data(as_text=True)
    assert "本文件的解读：" in html and f'href="/items/{interpretation.id}">{interpretation.title}' in html


def test_invalid_documents_are_flagged_prominently(client, demo):
    item = publish(draft(demo, column="policies", type="policy", title="已废止的办法", doc_number="嘉文广发〔2009〕1号"))
    set_validity(item, user("auditor"), "abolished", "2020-06-30")
    db.session.commit()
    html = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert 'class="validity-banner validity-abolished" role="note"' in html
    assert "<strong>本文件已废止（2020-06-30）</strong>" in html
    assert 'href="/columns/policies?validity=valid"' in html
    assert "本文件已废止" in client.get(f"/items/{item.id}/print").get_data(as_text=True)


def test_qr_codes_with_the_fixed_data_mask_scan_at_every_length():
    """The encoder is told its data mask (scoring all eight cost 0.2 ms a page): codes of short and long
    addresses, across versions, still decode to their address."""
    import numpy
    import zxingcpp

    from cms.site.qr import qr_modules

    for url in ["http://a.cn/items/1", "https://www.example.gov.cn/items/123456",
                "https://xxgk.example.gov.cn/bureau/public/items/98765?from=qr" + "&x=1" * 20]:
        size, modules = qr_modules(url)
        image = numpy.frombuffer(modules, dtype=numpy.uint8).reshape(size, size)
        result = zxingcpp.read_barcode(numpy.kron(image, numpy.ones((3, 3), dtype=numpy.uint8)))
        assert result is not None and result.text == url

"""The response desk in a real browser: the office registers a major incident, the live countdown runs (static
JS under the CSP), the response item is reviewed and the office records it, meeting the 5-hour clock."""
import re
from datetime import timedelta

import pytest

from cms import clock
from cms.clocks.incidents import link_item
from cms.clocks.models import Incident
from cms.extensions import db
from tests.browser.conftest import browser_login
from tests.workflow.helpers import draft, publish

pytestmark = pytest.mark.browser


def _beijing_input(dt):
    return clock.to_local(dt).strftime("%Y-%m-%dT%H:%M")


def test_office_registers_a_major_incident_and_meets_the_5_hour_clock(page, live_server, demo):
    base = live_server
    browser_login(page, base, "auditor")
    page.click("text=舆情回应")
    page.fill("#title", "网传景区索道故障游客滞留")
    page.select_option("#level", value="major")
    page.fill("#discovered_at", _beijing_input(clock.utcnow() - timedelta(hours=1)))
    page.select_option("#section", value="market")
    page.click("text=登记并开始计时")
    page.wait_for_url(re.compile(r".*/admin/incidents/\d+$"))
    countdown = page.locator("tr[data-kind=authoritative_info] .countdown")
    # The script replaces the server's status word with a running countdown of about four hours.
    page.wait_for_function("document.querySelector('tr[data-kind=authoritative_info] .countdown')"
                           ".textContent.startsWith('剩余')")
    assert re.match(r"剩余 (3|4)小时\d\d分\d\d秒", countdown.inner_text())
    first = countdown.inner_text()
    page.wait_for_timeout(1200)
    assert countdown.inner_text() != first  # it ticks

    incident = Incident.query.one()
    item = draft(demo, column="responses", title="关于景区索道故障游客滞留情况的通报", type="response")
    link_item(incident, item)
    db.session.commit()
    publish(item)  # the section, the office and the leader sign the response off
    page.select_option("#kind", value="authoritative_info")
    page.fill("#at", _beijing_input(clock.utcnow()))
    page.fill("#item_id", str(item.id))
    page.click("section[aria-labelledby=ms-heading] button[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/incidents/\d+$"))
    assert "按时完成" in page.locator("tr[data-kind=authoritative_info]").inner_text()
    assert "关于景区索道故障游客滞留情况的通报" in page.locator("tr[data-kind=authoritative_info]").inner_text()

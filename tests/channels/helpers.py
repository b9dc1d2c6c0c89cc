"""Shared steps for the channel tests."""
import io

from cms.channels.services import set_item_channels
from cms.content.attachments import add_attachment
from cms.extensions import db
from tests.workflow.helpers import draft, publish, user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
TABLE = "<table><tbody><tr><th>检查对象</th><th>时间</th></tr><tr><td>网吧</td><td>1月20日</td></tr></tbody></table>"


def item_with_image(org, channels=("website", "wechat", "weibo"), title="关于春节期间文化市场安全检查的通知"):
    """A draft with a table and an image (an attachment shown in the body), ticked for ``channels``."""
    item = draft(org, title=title, body_html=f"<p>各文化经营单位：为确保春节期间文化市场安全，现就{title}有关事项通知如下。</p>" + TABLE)
    photo = add_attachment(item, user("editor"), "现场照片.png", io.BytesIO(PNG))
    db.session.flush()
    item.body_html += f'<p><img src="/admin/attachments/{photo.id}/photo.png" alt="检查现场"></p>'
    set_item_channels(item, list(channels))
    db.session.commit()
    return item, photo


def published_with_image(org, **kwargs):
    item, photo = item_with_image(org, **kwargs)
    return publish(item), photo

"""New media channels (政务新媒体): the channels an item also goes to, their renditions and the posting record.

Modules: ``models`` (tables), ``renditions`` (pure functions: WeChat/Toutiao HTML, Weibo text),
``services`` (settings per bureau, an item's channels, pending and posted), ``adapters`` (the posting port a
deployment connects to the platforms; manual by default).
"""

# Channel codes in display order, with their labels. ``website`` is always on for every item.
CHANNELS = {
    "website": "网站",
    "wechat": "微信公众号",
    "weibo": "微博",
    "toutiao": "今日头条",
}
NEW_MEDIA = ("wechat", "weibo", "toutiao")

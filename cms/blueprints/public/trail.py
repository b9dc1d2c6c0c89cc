"""Breadcrumb trails of the public site (首页 > 政府信息公开 > 主动公开基本目录 > column > item)."""
from flask import url_for

from cms.blueprints.public import bp


@bp.app_template_global("column_trail")
def column_trail(column):
    """``[(name, url)]`` from the column's top-level ancestor down to the column itself."""
    trail, node, seen = [], column, set()
    while node is not None and node.id not in seen:
        seen.add(node.id)
        trail.append((node.name, url_for("public.column_detail", code=node.code)))
        node = node.parent
    return list(reversed(trail))

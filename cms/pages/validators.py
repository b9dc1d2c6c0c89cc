"""What a public item page depends on, read in one indexed statement per request.

The page shows the item itself, its neighbours in the column (上一条/下一条), the policy it interprets or the
interpretations of it, the document that replaced it, the view count and the site's footer. The statement
returns the item's version and update time, the ids and titles of its neighbours (from the public listing
index), the latest update time among the rows it links to, and the site settings version: a page rendered for
the same values shows the same thing, except the view count, which is filled in when the page is served. A
publication elsewhere in the catalog leaves the page valid; a retraction of a neighbour changes the
neighbour's id and so the page. Nothing is returned for an item the public may not see.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text

from cms.content.public_sql import public_where
from cms.read_sql import read_first


_NEIGHBOUR = """(SELECT n.id FROM items n
   WHERE n.organization_id = i.organization_id AND """ + public_where("n") + """ AND n.column_id = i.column_id
     AND (n.published_at, n.id) {op} (i.published_at, i.id)
   ORDER BY n.published_at {order}, n.id {order} LIMIT 1)"""

ITEM_PAGE_STATE = text("""
WITH v AS MATERIALIZED (
  SELECT i.id, i.version, i.updated_at, i.type, i.view_count, i.interprets_id, i.replaced_by_id,
    """ + _NEIGHBOUR.format(op=">", order="ASC") + """ AS newer_id,
    """ + _NEIGHBOUR.format(op="<", order="DESC") + """ AS older_id
  FROM items i
  WHERE i.id = :item_id AND """ + public_where("i") + """
)
SELECT v.id, v.version, v.updated_at, v.type, v.view_count, v.newer_id, v.older_id,
  (SELECT max(x.updated_at) FROM items x
    WHERE x.id IN (v.newer_id, v.older_id, v.interprets_id, v.replaced_by_id)) AS linked_updated_at,
  (SELECT max(r.updated_at) FROM items r WHERE r.interprets_id = v.id) AS interpretations_updated_at,
  (SELECT s.version FROM site_settings s WHERE s.id = 1) AS site_version,
  (SELECT count(*) FROM attachments a WHERE a.item_id = v.id) AS attachment_count,
  (SELECT t.title FROM items t WHERE t.id = v.newer_id) AS newer_title,
  (SELECT t.title FROM items t WHERE t.id = v.older_id) AS older_title
FROM v
""")


@dataclass(frozen=True)
class ItemPageState:
    id: int
    version: int
    updated_at: datetime
    type: str
    view_count: int
    newer_id: int | None
    older_id: int | None
    linked_updated_at: object
    interpretations_updated_at: object
    site_version: int | None
    attachment_count: int
    newer_title: str | None = None  # shown, not compared: a retitled neighbour changes linked_updated_at
    older_title: str | None = None

    @property
    def validator(self):
        """Equal for two requests exactly when the page would show the same (view count aside)."""
        return (self.version, str(self.updated_at), self.newer_id, self.older_id, str(self.linked_updated_at),
                str(self.interpretations_updated_at), self.site_version or 0, self.attachment_count)


def item_page_state(item_id):
    """The ``ItemPageState`` of public item ``item_id``, or None when the public may not see it."""
    row = read_first(ITEM_PAGE_STATE, {"item_id": item_id}, named=False)
    if row is None:
        return None
    return ItemPageState(*row)

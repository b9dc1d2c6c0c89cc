"""Content models: the column tree (栏目) of each organization."""
from sqlalchemy import UniqueConstraint

from cms.clock import utcnow
from cms.extensions import db


class Column(db.Model):
    """A column (栏目) of an organization's proactive disclosure catalog."""

    __tablename__ = "columns"
    __table_args__ = (UniqueConstraint("organization_id", "code"),)
    id = db.Column(db.Integer, primary_key=True)
    organization_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False, index=True)
    parent_id = db.Column(db.Integer, db.ForeignKey("columns.id"), nullable=True, index=True)
    code = db.Column(db.String(64), nullable=False)
    name = db.Column(db.String(200), nullable=False)
    positioning = db.Column(db.Text, nullable=True)  # 定位说明
    accepts = db.Column(db.JSON, nullable=False, default=list)  # accepted item types
    workflow = db.Column(db.String(64), nullable=False, default="three_stage")
    position = db.Column(db.Integer, nullable=False, default=0)
    visible = db.Column(db.Boolean, nullable=False, default=True)
    retired = db.Column(db.Boolean, nullable=False, default=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    organization = db.relationship("Organization")
    parent = db.relationship("Column", remote_side=[id], backref="children")

    def accepts_type(self, item_type):
        return item_type in (self.accepts or [])

    def __repr__(self):
        return f"<Column {self.code}>"


class ColumnRedirect(db.Model):
    """An old column code (merged or renamed away) that keeps working by redirecting to a column."""

    __tablename__ = "column_redirects"
    __table_args__ = (UniqueConstraint("organization_id", "old_code"),)
    id = db.Column(db.Integer, primary_key=True)
    organization_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False)
    old_code = db.Column(db.String(64), nullable=False)
    column_id = db.Column(db.Integer, db.ForeignKey("columns.id"), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class ColumnReference(db.Model):
    """A cross-reference (引用): a column lists an item published in another column, as a link only."""

    __tablename__ = "column_references"
    __table_args__ = (UniqueConstraint("column_id", "item_id"),)
    id = db.Column(db.Integer, primary_key=True)
    column_id = db.Column(db.Integer, db.ForeignKey("columns.id"), nullable=False, index=True)
    item_id = db.Column(db.Integer, db.ForeignKey("items.id"), nullable=False, index=True)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    column = db.relationship("Column")
    item = db.relationship("Item")


ITEM_STATES = ("draft", "pending_section", "pending_office", "pending_leader", "scheduled", "published", "returned",
               "retracted")
FIXED_ITEM_STATES = ("draft", "scheduled", "published", "returned", "retracted")


def is_review_state(state):
    """True for ``pending_<stage>`` states (stages are data, so there is no closed list)."""
    return bool(state) and state.startswith("pending_")


class Item(db.Model):
    """A disclosure item (信息): the metadata block, the body, and its workflow state.

    A published item that is edited gets a working copy (``working_copy_of_id`` set): a separate row
    that goes through the review while the original stays public, and whose content replaces the
    original's at sign-off. Public surfaces show only ``state == 'published'`` rows that are not
    working copies and whose ``disclosure == 'proactive'``.
    """

    __tablename__ = "items"
    __table_args__ = (
        # Review stages are data (``pending_<stage code>``); the other states are fixed.
        db.CheckConstraint(
            "state IN ('draft', 'scheduled', 'published', 'returned', 'retracted') OR state LIKE 'pending_%'",
            name="state",
        ),
        db.CheckConstraint("disclosure IN ('proactive', 'on_request', 'withheld')", name="disclosure"),
        db.CheckConstraint("validity IN ('valid', 'expired', 'abolished', 'amended')", name="validity"),
        db.CheckConstraint(
            "disclosure <> 'withheld' OR (withheld_reason IS NOT NULL AND withheld_reason <> '')",
            name="withheld_reason",
        ),
        # A published original carries its index number; drafts and working copies do not.
        db.CheckConstraint(
            "state <> 'published' OR working_copy_of_id IS NOT NULL OR index_no IS NOT NULL",
            name="published_has_index_no",
        ),
        UniqueConstraint("organization_id", "index_no"),
        UniqueConstraint("organization_id", "index_year", "index_seq"),
        # Public lists: newest first within a column, within a column and year, and over the whole site; the
        # trailing id makes ``ORDER BY published_at DESC, id DESC LIMIT n`` an index walk on both databases.
        # ``disclosure`` and ``working_copy_of_id`` complete the public filter, so the rows a deep page skips
        # (OFFSET) are tested in the index alone; ``validity`` lets the validity filter count from it too.
        # ``title`` and ``doc_number`` answer a column's title-word filter (LIKE) from the index too, ``topic``
        # and ``section_id`` (in the year index: the listing index's entries are long enough) its filter choices.
        db.Index("ix_items_public_listing", "organization_id", "state", "column_id", "published_at", "id",
                 "disclosure", "working_copy_of_id", "validity", "title", "doc_number"),
        db.Index("ix_items_public_year", "organization_id", "state", "column_id", "index_year", "published_at", "id",
                 "disclosure", "working_copy_of_id", "validity", "topic", "section_id"),
        db.Index("ix_items_public_latest", "organization_id", "state", "published_at", "id"),
        # max(updated_at) per organization validates cached public pages.
        db.Index("ix_items_org_updated", "organization_id", "updated_at"),
        # Worklists: ``state IN (...) AND section_id IN (...)`` (or the organization) with the pinned workflow
        # version, the quorum round and separation of duties, counted and paged from the index alone.
        db.Index("ix_items_worklist", "state", "section_id", "workflow", "workflow_version", "organization_id",
                 "stage_round", "author_id", "last_editor_id", "working_copy_of_id", "stage_due_at", "updated_at"),
    )
    id = db.Column(db.Integer, primary_key=True)
    organization_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False, index=True)
    column_id = db.Column(db.Integer, db.ForeignKey("columns.id"), nullable=False, index=True)
    section_id = db.Column(db.Integer, db.ForeignKey("sections.id"), nullable=False, index=True)
    author_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    last_editor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    # At most one open working copy per published item (a concurrent second checkout fails here too).
    working_copy_of_id = db.Column(db.Integer, db.ForeignKey("items.id"), nullable=True, index=True, unique=True)
    external_id = db.Column(db.String(200), nullable=True, unique=True)  # legacy import key
    # An interpretation (政策解读) names the policy it interprets; both pages link to each other.
    interprets_id = db.Column(db.Integer, db.ForeignKey("items.id"), nullable=True, index=True)

    type = db.Column(db.String(32), nullable=False)
    title = db.Column(db.String(500), nullable=False)
    summary = db.Column(db.Text, nullable=True)
    body_html = db.Column(db.Text, nullable=False, default="")
    doc_number = db.Column(db.String(100), nullable=True, index=True)  # 文号
    written_date = db.Column(db.Date, nullable=True)  # 成文日期
    topic = db.Column(db.String(100), nullable=True)  # 主题分类
    validity = db.Column(db.String(16), nullable=False, default="valid")  # 有效性
    validity_changed_on = db.Column(db.Date, nullable=True)
    disclosure = db.Column(db.String(16), nullable=False, default="proactive")  # 公开属性
    withheld_reason = db.Column(db.Text, nullable=True)
    five_public = db.Column(db.String(16), nullable=True)  # 五公开
    normative = db.Column(db.Boolean, nullable=False, default=False)  # 规范性文件
    # 双公示: the decision an ``enforcement`` item publishes (cms/content/enforcement.py).
    enforcement = db.Column(db.JSON, nullable=True)
    # One-place rule fingerprints, kept current by cms.content.one_place (see there).
    doc_number_key = db.Column(db.String(100), nullable=True, index=True)
    title_key = db.Column(db.String(500), nullable=True, index=True)
    body_hash = db.Column(db.String(40), nullable=True, index=True)
    body_minhash = db.Column(db.LargeBinary, nullable=True)  # MinHash signature (cms.content.fingerprints)
    body_shingles = db.Column(db.Integer, nullable=True)  # distinct character n-grams of the body
    body_numbers = db.Column(db.Text, nullable=True)  # the body's Arabic numbers, in order

    workflow = db.Column(db.String(64), nullable=False, default="three_stage")
    # The definition version the item's review started with (None until first submitted: the latest).
    workflow_version = db.Column(db.Integer, nullable=True)
    state = db.Column(db.String(32), nullable=False, default="draft", index=True)
    version = db.Column(db.Integer, nullable=False, default=1)
    # Stage bookkeeping, written by the engine: every entry into a stage starts a new round.
    stage_round = db.Column(db.Integer, nullable=False, default=0, server_default="0")
    stage_entered_at = db.Column(db.DateTime, nullable=True)
    stage_due_at = db.Column(db.DateTime, nullable=True, index=True)
    return_stage = db.Column(db.String(24), nullable=True)  # where a resubmission resumes (on_return=resume)
    # Optimistic locking: every ORM UPDATE checks and bumps the version (stale edits fail).
    __mapper_args__ = {"version_id_col": version}

    index_no = db.Column(db.String(64), nullable=True)  # 索引号
    index_year = db.Column(db.Integer, nullable=True)
    index_seq = db.Column(db.Integer, nullable=True)
    published_at = db.Column(db.DateTime, nullable=True, index=True)  # 发布日期
    view_count = db.Column(db.Integer, nullable=False, default=0)

    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    organization = db.relationship("Organization")
    column = db.relationship("Column")
    section = db.relationship("Section")
    author = db.relationship("User", foreign_keys=[author_id])
    last_editor = db.relationship("User", foreign_keys=[last_editor_id])
    working_copy_of = db.relationship("Item", remote_side=[id], foreign_keys=[working_copy_of_id])
    interprets = db.relationship("Item", remote_side=[id], foreign_keys=[interprets_id])
    attachments = db.relationship(
        "Attachment", back_populates="item", order_by="Attachment.position, Attachment.id",
        cascade="all, delete-orphan",
    )
    revisions = db.relationship(
        "ItemRevision", back_populates="item", order_by="ItemRevision.number", cascade="all, delete-orphan"
    )

    # Scheduled publication and expiry (cms/content/scheduling.py), naive UTC like every timestamp: signed off
    # before ``publish_at``, the item waits in state ``scheduled``; at ``expires_at`` its validity becomes expired.
    publish_at = db.Column(db.DateTime, nullable=True, index=True)
    expires_at = db.Column(db.DateTime, nullable=True, index=True)

    @property
    def is_public(self):
        """True when anonymous visitors may see this item."""
        return self.state == "published" and self.working_copy_of_id is None and self.disclosure == "proactive"

    def __repr__(self):
        return f"<Item {self.id} {self.state}>"

    # Policy interpretation form (cms.content.interpretations.FORMS): text, graphic, video ...
    interpretation_form = db.Column(db.String(24), nullable=True)
    # The document that replaces this one (validity ``amended``; cleanup lists and the office's screen).
    replaced_by_id = db.Column(db.Integer, db.ForeignKey("items.id"), nullable=True)


class ItemNearKey(db.Model):
    """A locality-sensitive-hashing band key of an item's body (one row per band): the indexed candidate
    lookup of the one-place near-duplicate test. Kept current by cms.content.one_place."""

    __tablename__ = "item_near_keys"
    key = db.Column(db.BigInteger, primary_key=True, autoincrement=False)
    item_id = db.Column(db.Integer, db.ForeignKey("items.id"), primary_key=True, autoincrement=False, index=True)


class ItemRevision(db.Model):
    """Every saved state of an item, kept for history and diffs."""

    __tablename__ = "item_revisions"
    __table_args__ = (UniqueConstraint("item_id", "number"),)
    id = db.Column(db.Integer, primary_key=True)
    item_id = db.Column(db.Integer, db.ForeignKey("items.id"), nullable=False, index=True)
    number = db.Column(db.Integer, nullable=False)
    snapshot = db.Column(db.JSON, nullable=False)  # the item's editable fields at this point
    note = db.Column(db.String(200), nullable=True)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    item = db.relationship("Item", back_populates="revisions")
    created_by = db.relationship("User")


class Attachment(db.Model):
    """A file attached to an item; the bytes live content-addressed in the upload folder."""

    __tablename__ = "attachments"
    id = db.Column(db.Integer, primary_key=True)
    item_id = db.Column(db.Integer, db.ForeignKey("items.id"), nullable=False, index=True)
    filename = db.Column(db.String(255), nullable=False)  # the original (Chinese) file name
    content_type = db.Column(db.String(100), nullable=False)  # sniffed from the content
    size = db.Column(db.Integer, nullable=False)
    sha256 = db.Column(db.String(64), nullable=False, index=True)
    position = db.Column(db.Integer, nullable=False, default=0)
    uploaded_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # Text for the search index, extracted by a queue task within caps (cms/content/extraction.py);
    # "truncated" means a cap was hit and the rest of the text is not indexed.
    extraction_status = db.Column(db.String(16), nullable=False, default="pending", server_default="pending")
    extracted_text = db.deferred(db.Column(db.Text, nullable=True))

    item = db.relationship("Item", back_populates="attachments")
    __table_args__ = (
        db.CheckConstraint("extraction_status IN ('pending', 'done', 'truncated', 'failed', 'skipped')",
                           name="extraction_status"),
    )

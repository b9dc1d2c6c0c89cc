"""The SearchBackend port: what every backend offers, and the shapes it exchanges."""
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Document:
    """One published item as the index sees it."""

    id: int
    organization_id: int
    title: str
    body: str
    doc_number: str
    index_no: str
    column: str
    column_name: str
    type: str
    section: str
    year: int
    five_public: str
    published_at: datetime


@dataclass
class Query:
    text: str
    column: str | None = None
    type: str | None = None
    year: int | None = None
    section: str | None = None
    sort: str = "relevance"  # or "date"
    page: int = 1
    per_page: int = 10


@dataclass
class Hit:
    id: int
    title: str
    column: str
    column_name: str
    published_at: datetime
    body: str


@dataclass
class Results:
    total: int
    hits: list = field(default_factory=list)


class SearchBackend:
    """index(docs), rebuild(batches), delete(ids), search(query), count(), clear(), ids()."""

    def index(self, documents):
        raise NotImplementedError

    def rebuild(self, batches, replay=None, procs=1):
        """Replace the whole index with the documents of ``batches`` (lists of documents); returns their count.

        ``replay(target)``, when given, is called once the documents are written and before the new index
        answers searches: it applies to ``target`` (a backend over the new index) what changed meanwhile.
        ``procs``: processes the backend may use to write (Whoosh; PostgreSQL analyzes on the server anyway).
        Backends that can build aside (Whoosh, PostgreSQL) override this; this fallback builds in place."""
        self.clear()
        count = 0
        for batch in batches:
            count += self.index(batch)
        if replay is not None:
            replay(self)
        return count

    def delete(self, ids):
        raise NotImplementedError

    def search(self, query: Query) -> Results:
        raise NotImplementedError

    def count(self) -> int:
        raise NotImplementedError

    def clear(self):
        raise NotImplementedError

    def ids(self) -> set:
        raise NotImplementedError

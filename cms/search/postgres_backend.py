"""PostgreSQL backend (scale-out): tsvector over the same pre-tokenized text, GIN index, phrase queries.

The analyzer's tokens are joined with spaces and fed to the 'simple' configuration, which keeps them as they
are; a phrase is its tokens joined with <-> (followed-by). Title and 文号 tokens weigh A, the body B.
"""
from sqlalchemy import delete, func, literal_column, select
from sqlalchemy.dialects.postgresql import insert

from cms.extensions import db
from cms.search.analyzer import parse_query, tokenize
from cms.search.backend import Hit, Results, SearchBackend
from cms.search.models import SearchDocument


def _lexeme(token):
    return "'" + token.replace("'", "''").replace("\\", "\\\\") + "'"


def _tsquery(groups):
    parts = []
    for group in groups:
        alternatives = []
        for tokens in group:
            if len(tokens) == 1 and len(tokens[0]) == 1:
                alternatives.append(_lexeme(tokens[0]) + ":*")
            else:
                alternatives.append("(" + " <-> ".join(_lexeme(t) for t in tokens) + ")")
        parts.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(parts)


class PostgresBackend(SearchBackend):
    def __init__(self, session=None):
        self.session = session or db.session

    def index(self, documents):
        documents = list(documents)
        for d in documents:
            values = dict(
                item_id=d.id, organization_id=d.organization_id, title=d.title, body=d.body,
                doc_number=d.doc_number, index_no=d.index_no, column=d.column, column_name=d.column_name,
                type=d.type, section=d.section, year=d.year, five_public=d.five_public, published_at=d.published_at,
                tsv=func.setweight(func.to_tsvector("simple", " ".join(tokenize(d.title + " " + (d.doc_number or "")))),
                                   literal_column("'A'"))
                .op("||")(func.setweight(func.to_tsvector("simple", " ".join(tokenize(d.body))), literal_column("'B'"))),
            )
            stmt = insert(SearchDocument.__table__).values(**values)
            stmt = stmt.on_conflict_do_update(
                index_elements=["item_id"], set_={k: stmt.excluded[k] for k in values if k != "item_id"})
            self.session.execute(stmt)
        self.session.commit()
        return len(documents)

    def delete(self, ids):
        ids = list(ids)
        if ids:
            self.session.execute(delete(SearchDocument.__table__).where(SearchDocument.item_id.in_(ids)))
            self.session.commit()

    def clear(self):
        self.session.execute(delete(SearchDocument.__table__))
        self.session.commit()

    def count(self):
        return self.session.execute(select(func.count()).select_from(SearchDocument.__table__)).scalar()

    def ids(self):
        return {i for (i,) in self.session.execute(select(SearchDocument.item_id))}

    def search(self, query):
        groups, _ = parse_query(query.text)
        if not groups:
            return Results(total=0)
        tsq = func.to_tsquery("simple", _tsquery(groups))
        table = SearchDocument.__table__
        conditions = [table.c.tsv.op("@@")(tsq)]
        for name in ("column", "type", "section"):
            value = getattr(query, name)
            if value:
                conditions.append(table.c[name] == value)
        if query.year:
            conditions.append(table.c.year == int(query.year))
        total = self.session.execute(select(func.count()).select_from(table).where(*conditions)).scalar()
        order = [table.c.published_at.desc()] if query.sort == "date" else [
            func.ts_rank_cd(table.c.tsv, tsq).desc(), table.c.published_at.desc()]
        rows = self.session.execute(
            select(table.c.item_id, table.c.title, table.c.column, table.c.column_name, table.c.published_at,
                   table.c.body)
            .where(*conditions).order_by(*order)
            .limit(query.per_page).offset((query.page - 1) * query.per_page)
        ).all()
        return Results(total=total, hits=[Hit(id=r[0], title=r[1], column=r[2], column_name=r[3],
                                              published_at=r[4], body=r[5]) for r in rows])


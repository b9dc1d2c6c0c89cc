"""Shared helpers for the benchmarks: read the corpus, grow it to any size, build an instance.

The corpus (`docs.jsonl`, real Chinese laws and regulations) is read from `CMS_BENCH_CORPUS` (default
`../shared/corpus/docs.jsonl` beside the repository, or `/work/shared/corpus/docs.jsonl`); it is never
copied into the repository. Beyond its 14,828 documents, documents are grown by recombining real
paragraphs of other documents (never random characters).
"""
import json
import os
import random
import sys
from datetime import datetime, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def corpus_path():
    candidates = [os.environ.get("CMS_BENCH_CORPUS"), os.path.join(ROOT, "..", "shared", "corpus", "docs.jsonl"),
                  "/work/shared/corpus/docs.jsonl"]
    for path in candidates:
        if path and os.path.exists(path):
            return path
    sys.exit("corpus not found: set CMS_BENCH_CORPUS to docs.jsonl")


def read_corpus(limit=None):
    docs = []
    with open(corpus_path(), encoding="utf-8") as fh:
        for line in fh:
            docs.append(json.loads(line))
            if limit and len(docs) >= limit:
                break
    return docs


def grown_documents(count, seed=7):
    """``count`` documents: the corpus in order, then new ones recombined from its paragraphs."""
    docs = read_corpus(limit=count)
    if len(docs) >= count:
        return docs
    rng = random.Random(seed)
    paragraphs = [p for d in docs for p in d["body"].split("\n") if p.strip()]
    out = list(docs)
    n = 0
    while len(out) < count:
        base = docs[n % len(docs)]
        k = max(2, len(base["body"].split("\n")))
        body = "\n".join(rng.choice(paragraphs) for _ in range(k))
        out.append({"id": f"grown-{n:06d}", "title": f"{base['title']}（汇编{n // len(docs) + 1}）", "body": body,
                    "date": base.get("date"), "source": base.get("source")})
        n += 1
    return out


def body_html(text):
    from html import escape

    return "".join(f"<p>{escape(p)}</p>" for p in text.split("\n") if p.strip())


def _insert(db, Item, rows, fingerprints):
    from sqlalchemy import insert, select

    if not fingerprints:
        db.session.execute(insert(Item.__table__), rows)
        return
    from cms.content.one_place import fingerprint_rows, insert_near_keys

    pending = fingerprint_rows(rows)
    db.session.execute(insert(Item.__table__), rows)
    ids = dict(db.session.execute(select(Item.external_id, Item.id).where(
        Item.external_id.in_([r["external_id"] for r in rows]))).all())
    insert_near_keys(db.session.connection(), [(ids[row["external_id"]], keys) for row, keys in pending])


def build_published_instance(data_dir, count, database_url=None, fingerprints=False):
    """A fresh instance (demo bureau + ``count`` published items from the corpus), inserted in bulk
    (with their one-place fingerprints and band keys when ``fingerprints``).

    Returns (item ids, {column code: {year: count}}).
    """
    os.environ["CMS_DATA_DIR"] = data_dir
    if database_url:
        os.environ["CMS_DATABASE_URL"] = database_url
    else:
        os.environ.pop("CMS_DATABASE_URL", None)
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from cms import create_app
    from cms.content.models import Column, Item
    from cms.demo import seed_demo
    from cms.extensions import db

    app = create_app()
    with app.app_context():
        upgrade(directory=os.path.join(ROOT, "migrations"))
        org = seed_demo()
        db.session.commit()
        columns = [c for c in Column.query.filter_by(organization_id=org.id) if c.accepts and c.visible]
        section_id = org.sections[1].id
        author_id = db.session.execute(db.text("SELECT id FROM users WHERE username='editor'")).scalar()
        start = datetime(2014, 1, 1)
        step = timedelta(minutes=max(1, int(12 * 365 * 24 * 60 / max(count, 1))))
        seq_by_year, rows = {}, []
        counts = {}
        for n, doc in enumerate(grown_documents(count)):
            column = columns[n % len(columns)]
            published = start + step * n
            seq_by_year[published.year] = seq_by_year.get(published.year, 0) + 1
            seq = seq_by_year[published.year]
            counts.setdefault(column.code, {}).setdefault(published.year, 0)
            counts[column.code][published.year] += 1
            rows.append({
                "organization_id": org.id, "column_id": column.id, "section_id": section_id, "author_id": author_id,
                "type": column.accepts[0], "title": doc["title"][:500], "body_html": body_html(doc["body"]),
                "state": "published", "version": 1, "disclosure": "proactive", "validity": "valid",
                "workflow": "three_stage", "normative": False, "index_year": published.year, "index_seq": 10000 + seq,
                "index_no": f"{org.code}/{published.year}-{10000 + seq:05d}", "published_at": published,
                "created_at": published, "updated_at": published, "view_count": 0,
                "external_id": f"bench-{doc['id']}",
            })
            if len(rows) >= 2000:
                _insert(db, Item, rows, fingerprints)
                rows = []
        if rows:
            _insert(db, Item, rows, fingerprints)
        db.session.commit()
        ids = [i for (i,) in db.session.execute(db.text("SELECT id FROM items WHERE state='published'"))]
        engine_url = str(db.engine.url)
    return ids, counts, engine_url

"""``flask --app wsgi cms import FILE.jsonl``: published items, index numbers in publication order,
idempotent, a report of rejected lines and a non-zero exit."""
import json

from cms.content.models import Item
from cms.extensions import db
from cms.search.backend import Query
from cms.search.service import search
from cms.workflow.models import WorkflowHistory


def _write(tmp_path, records):
    path = tmp_path / "legacy.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records),
                    encoding="utf-8")
    return str(path)


GOOD = [
    {"external_id": "old-2", "column": "notices", "type": "notice", "title": "2016年旧通知乙",
     "body_html": "<p>旧网站迁移的通知正文乙，关于图书馆闭馆维修。</p>", "published_at": "2016-05-02T09:00:00+08:00"},
    {"external_id": "old-1", "column": "policies", "type": "policy", "title": "2016年旧办法甲",
     "body_html": "<p>旧网站迁移的政策正文甲，规范演出市场。</p>", "published_at": "2016-03-01",
     "doc_number": "嘉文广发〔2016〕3号", "written_date": "2016-02-20", "section": "market"},
]


def test_import_creates_published_items_in_publication_order(app, demo, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["cms", "import", _write(tmp_path, GOOD)])
    assert result.exit_code == 0, result.output
    assert "Imported 2" in result.output
    db.session.expire_all()
    first = Item.query.filter_by(external_id="old-1").one()
    second = Item.query.filter_by(external_id="old-2").one()
    assert first.state == second.state == "published" and first.is_public
    assert first.index_no == f"{demo.code}/2016-00001" and second.index_no == f"{demo.code}/2016-00002"
    assert WorkflowHistory.query.filter_by(subject_id=first.id, transition="imported").count() == 1
    assert [h.id for h in search(Query(text="规范演出市场")).hits] == [first.id]
    again = runner.invoke(args=["cms", "import", _write(tmp_path, GOOD)])
    assert again.exit_code == 0 and "Imported 0, unchanged 2" in again.output
    assert Item.query.filter(Item.external_id.isnot(None)).count() == 2


def test_rejected_lines_are_reported_with_line_numbers_and_exit_1(app, demo, tmp_path):
    records = GOOD[:1] + [
        "{not json",
        {"external_id": "x1", "column": "nope", "type": "notice", "title": "t", "body_html": "b", "published_at": "2016-01-01"},
        {"external_id": "x2", "column": "policies", "type": "news", "title": "t", "body_html": "b", "published_at": "2016-01-01"},
        {"external_id": "x3", "column": "notices", "type": "notice", "title": "t", "body_html": "b", "published_at": "yesterday"},
        {"external_id": "x4", "column": "notices", "type": "notice", "body_html": "b", "published_at": "2016-01-01"},
    ]
    result = app.test_cli_runner().invoke(args=["cms", "import", _write(tmp_path, records)])
    assert result.exit_code == 1
    for line in (2, 3, 4, 5, 6):
        assert f"line {line}:" in result.output
    assert Item.query.filter_by(external_id="old-2").count() == 1


def test_missing_file_is_one_line_exit_2(app, demo):
    result = app.test_cli_runner().invoke(args=["cms", "import", "/no/such/file.jsonl"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_an_interrupted_import_resumes_where_it_stopped(app, demo, tmp_path, monkeypatch):
    from cms.content import importer

    path = _write(tmp_path, GOOD)
    real = importer._write_batch
    calls = []

    def fail_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "_write_batch", fail_second)
    try:
        importer.import_file(path, batch=1)
    except RuntimeError:
        db.session.rollback()
    assert [e for (e,) in db.session.query(Item.external_id).filter(Item.external_id.isnot(None))] == ["old-1"]
    monkeypatch.setattr(importer, "_write_batch", real)
    report = importer.import_file(path, batch=1)
    assert (report.created, report.skipped) == (1, 1)
    second = Item.query.filter_by(external_id="old-2").one()
    assert second.index_no == f"{demo.code}/2016-00002"
    assert second.body_hash is not None  # fingerprinted in bulk


def test_import_without_index_leaves_the_outbox_to_sync(app, demo, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["cms", "import", "--no-index", _write(tmp_path, GOOD)])
    assert result.exit_code == 0, result.output
    assert search(Query(text="规范演出市场")).hits == []
    assert runner.invoke(args=["cms", "search", "sync"]).exit_code == 0
    first = Item.query.filter_by(external_id="old-1").one()
    assert [h.id for h in search(Query(text="规范演出市场")).hits] == [first.id]

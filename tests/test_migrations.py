"""Migrations create the whole schema on an empty database and agree with the models."""
import uuid

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from cms import create_app
from cms.extensions import db


def _empty_database_url(tmp_path, database_url):
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'migrated.sqlite3'}", None
    schema = f"cms_mig_{uuid.uuid4().hex[:8]}"
    base = database_url.split("?")[0]
    return f"{base}?options=-csearch_path%3D{schema}", (base, schema)


def test_upgrade_on_empty_database_matches_models(tmp_path, database_url):
    url, pg = _empty_database_url(tmp_path, database_url)
    if pg:
        engine = sa.create_engine(pg[0])
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{pg[1]}"'))
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "CMS_DATA_DIR": str(tmp_path), "SECRET_KEY": "x"})
        with app.app_context():
            upgrade()
            with db.engine.connect() as conn:
                context = MigrationContext.configure(conn, opts={"compare_type": True})
                diff = compare_metadata(context, db.metadata)
            assert diff == [], f"models and migrations disagree: {diff}"
            tables = set(sa.inspect(db.engine).get_table_names())
            assert {"organizations", "sections", "users", "memberships", "audit_log", "columns"} <= tables
            db.engine.dispose()
    finally:
        if pg:
            with engine.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{pg[1]}" CASCADE'))
            engine.dispose()

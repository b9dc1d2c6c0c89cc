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


def test_flask_db_commands_migrate_with_flask_migrate_imported_on_use(tmp_path):
    """``flask db ...`` still has Flask-Migrate's options and commands, though the app binds it lazily."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
                      "CMS_DATA_DIR": str(tmp_path), "SECRET_KEY": "x"})
    runner = app.test_cli_runner()
    with app.app_context():  # (the commands run in the current app context: this app's, not the suite's)
        result = runner.invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        assert runner.invoke(args=["db", "heads"]).exit_code == 0
        assert runner.invoke(args=["db", "current"]).exit_code == 0
        from alembic.script import ScriptDirectory

        heads = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config()).get_heads()
        with db.engine.connect() as conn:
            assert [r[0] for r in conn.execute(sa.text("SELECT version_num FROM alembic_version"))] == heads
        assert "items" in sa.inspect(db.engine).get_table_names()
        wrong = runner.invoke(args=["db", "-d", str(tmp_path / "nowhere"), "current"])
        db.engine.dispose()
    assert wrong.exit_code != 0  # the group's own --directory option reaches the command


def test_a_web_worker_does_not_import_migrations_or_numpy(tmp_path):
    """Flask-Migrate with Alembic (~26 MB) and numpy (~15 MB, the one-place signatures) are imported when a
    migration or a signature needs them, not by every web worker."""
    import os
    import subprocess
    import sys

    code = ("import sys; from cms import create_app; app = create_app(); "
            "c = app.test_client(); c.get('/'); c.get('/search?q=文化'); "
            "print(sorted(m for m in ('numpy', 'flask_migrate', 'alembic') if m in sys.modules))")
    env = {**os.environ, "CMS_DATA_DIR": str(tmp_path)}
    env.pop("CMS_DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
                         cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"

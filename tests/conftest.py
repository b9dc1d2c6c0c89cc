"""Test fixtures: one app and schema per session, a clean database for every test.

``CMS_TEST_DB=postgres`` runs the suite against PostgreSQL (``CMS_TEST_POSTGRES_URL``, default the
local server) in a schema of its own, dropped at the end; otherwise SQLite in a temporary folder.
"""
import os
import uuid

import pytest
import sqlalchemy as sa

from flask.testing import FlaskClient

from cms import create_app
from cms.extensions import db

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _backend():
    return os.environ.get("CMS_TEST_DB", "sqlite").lower()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if _backend() != "postgres":
        path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        yield f"sqlite:///{path}"
        return
    base = os.environ.get("CMS_TEST_POSTGRES_URL") or DEFAULT_PG_URL
    schema = f"cms_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(base)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as exc:  # never skip silently: a PostgreSQL run needs PostgreSQL
        pytest.exit(f"PostgreSQL is not reachable at {base}: {exc}", returncode=3)
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    The test's own session is committed before the request (so setup data is visible to the
    request's session) and after it (so the test reads fresh rows, not its identity map).
    """

    def open(self, *args, **kwargs):
        db.session.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.commit()
        return response


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("data")
    application = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "CMS_DATA_DIR": str(data_dir),
            "SECRET_KEY": "test-secret",
            "CMS_PASSWORD_HASH_FAST": True,
            "WTF_CSRF_ENABLED": False,
            "CMS_PAGE_CACHE": False,
            "CMS_BUFFER_VIEW_COUNTS": False,
            "SERVER_NAME": None,
            "CMS_TRUSTED_HOSTS": "localhost,127.0.0.1",  # the test client asks for localhost
            "CMS_QUEUE_IMMEDIATE": True,
        }
    )
    application.test_client_class = IsolatedClient
    with application.app_context():
        db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def _wipe(app):
    """Delete every row (cheaper than recreating the schema, and safe with committed data)."""
    with app.app_context():
        db.session.remove()
        tables = list(reversed(db.metadata.sorted_tables))
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                names = ", ".join(f'"{t.name}"' for t in tables)
                conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                conn.execute(sa.text("PRAGMA foreign_keys=OFF"))
                for table in tables:
                    conn.execute(table.delete())
                conn.execute(sa.text("PRAGMA foreign_keys=ON"))
    search = app.extensions.get("cms_search_whoosh")
    if search is not None:
        search.clear()
    store = app.extensions.get("cms_page_store")
    if store is not None:  # rendered pages of the previous test's items (ids are reused)
        store.clear()
    # Rate-limit counters live in the database (wiped above) unless Redis holds them.
    app.extensions["cms_counters"].reset()


@pytest.fixture(autouse=True)
def _clean_database(app):
    _wipe(app)
    ctx = app.app_context()
    ctx.push()
    yield
    db.session.rollback()
    ctx.pop()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def demo(app):
    """The demo bureau: office, two sections, a unit and one user per role (password ``Demo-2026-gov``)."""
    from cms.demo import seed_demo

    org = seed_demo()
    _without_interpretation_rule(org)
    db.session.commit()
    return org


def _without_interpretation_rule(org):
    """Most tests publish a policy on its own: the demo bureau of the tests asks no interpretation of any
    document. The rule's own tests (tests/interpretations) remove this row and so test the default."""
    from cms.content.interpretation_models import InterpretationSetting

    if InterpretationSetting.query.filter_by(organization_id=org.id).first() is None:
        db.session.add(InterpretationSetting(organization_id=org.id, item_types=[], include_normative=False,
                                             mode="sync", lag_days=0))


def login(client, username, password="Demo-2026-gov"):
    """Log ``client`` in through the real login form."""
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture
def login_as(client):
    def _login(username, password="Demo-2026-gov"):
        login(client, username, password)
        return client

    return _login


@pytest.fixture
def token_for(client):
    """``token_for(username)`` → the Authorization header of a fresh API token for that user."""

    def issue(username, password="Demo-2026-gov"):
        response = client.post("/api/v1/tokens", json={"username": username, "password": password})
        assert response.status_code == 201, response.get_json()
        return {"Authorization": f"Bearer {response.get_json()['token']}"}

    return issue

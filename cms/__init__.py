"""Government information disclosure CMS: the application factory."""
import os

from flask import Flask

from cms.config import build_config
from cms.extensions import csrf, db, login_manager, migrate
from cms.session_cookie import SessionInterface
from cms.templating import TemplateEnvironment

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class CmsFlask(Flask):
    """Flask with this project's Jinja environment (``cms.templating``) and session interface
    (``cms.session_cookie``)."""

    jinja_environment = TemplateEnvironment
    session_interface = SessionInterface()
    _sync_functions = None

    def ensure_sync(self, func):
        """Flask's ``ensure_sync``, remembered per function: Flask asks ``inspect`` whether each hook, context
        processor and view is a coroutine function on every request (six times for an empty one)."""
        kept = self._sync_functions
        if kept is None:
            kept = self._sync_functions = {}
        try:
            return kept[func]
        except KeyError:
            if len(kept) >= 1000:
                kept.clear()
            kept[func] = synced = super().ensure_sync(func)
            return synced
        except TypeError:  # an unhashable callable
            return super().ensure_sync(func)


def create_app(config=None):
    """Create the Flask application; ``config`` overrides settings (tests pass their own)."""
    app = CmsFlask(
        __name__,
        instance_path=os.environ.get("CMS_INSTANCE_PATH") or os.path.join(ROOT, "instance"),
        instance_relative_config=True,
        template_folder=os.path.join(ROOT, "templates"),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(build_config(app.instance_path, config))
    app.json.ensure_ascii = False

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(ROOT, "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)

    _register_models()
    from cms.accounts.throttle import init_throttle
    from cms.ratelimit import init_counters
    from cms.security import init_security_headers
    from cms.templating import init_templating

    init_counters(app)
    init_throttle(app)
    init_security_headers(app)
    from cms.input_guard import init_input_guard

    init_input_guard(app)
    init_templating(app)
    from cms.form_messages import init_form_messages

    init_form_messages(app)
    from cms.jobs import init_jobs

    init_jobs(app)
    _register_blueprints(app)
    _register_cli(app)
    _register_sqlite_pragmas(app)
    # No index work at start-up: the queue consumer drains the search outbox (at its start and every
    # minute), so a web worker never extracts or indexes anything while starting.
    return app


def _register_models():
    # Import every model module so metadata (create_all, Alembic autogenerate) sees all tables.
    import cms.models  # noqa: F401
    import cms.content.workflow  # noqa: F401  (items become workflow subjects)
    import cms.content.one_place  # noqa: F401  (fingerprints kept current on every save)
    import cms.notifications.workflow_handlers  # noqa: F401  (reviewers hear about their work)
    import cms.search.outbox  # noqa: F401  (published changes reach the search index)
    import cms.pages.events  # noqa: F401  (published changes are rendered into the page store)
    import cms.content.audit_trail  # noqa: F401  (every item transition is in the audit log)
    import cms.applications.workflow  # noqa: F401  (the request desk's workflow)
    import cms.applications.notices  # noqa: F401  (the desk, sections and applicants hear of steps)
    import cms.reports.annual  # noqa: F401  (condition annual_report_checks_pass on the final sign-off)
    import cms.jobs.tasks  # noqa: F401  (the queue's timed duties)
    import cms.clocks.proposals  # noqa: F401  (a signed-off reply marks its proposal replied)
    import cms.clocks.budgets  # noqa: F401  (a revised budget item keeps its figures)
    import cms.channels.services  # noqa: F401  (a revised item keeps its new media channels)
    import cms.content.interpretations  # noqa: F401  (policies and interpretations signed off together)
    import cms.cleanups.services  # noqa: F401  (a published cleanup list changes its documents' validity)
    import cms.consultations.records  # noqa: F401  (a revised consultation keeps its period)
    import cms.consultations.assessment  # noqa: F401  (feedback published on time, in the assessment)


def _register_blueprints(app):
    from cms.blueprints.errors import init_error_pages
    from cms.blueprints.admin import bp as admin_bp
    from cms.blueprints.api import bp as api_bp
    from cms.blueprints.auth import bp as auth_bp
    from cms.blueprints.public import bp as public_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    from cms.blueprints.health import bp as health_bp

    app.register_blueprint(health_bp)
    init_error_pages(app)


def _register_cli(app):
    from cms.cli import cms_group

    app.cli.add_command(cms_group)


def _register_sqlite_pragmas(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

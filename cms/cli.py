"""The ``flask --app wsgi cms ...`` command group; each domain package contributes its commands."""
import functools
import sys

import click
from flask.cli import AppGroup

from cms.errors import DomainError
from cms.extensions import db

cms_group = AppGroup("cms", help="政务公开 CMS 管理命令 (government disclosure CMS commands).")


def fail(message, status=2):
    """Print one error line and exit with ``status`` (no traceback)."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(status)


def domain_command(func):
    """Run a command in one transaction; domain errors become one line on stderr and exit status 2."""

    @functools.wraps(func)
    def wrapped(*args, **kwargs):
        try:
            result = func(*args, **kwargs)
            db.session.commit()
            return result
        except DomainError as exc:
            db.session.rollback()
            fail(exc.message)

    return wrapped


def _register():
    from cms.accounts import cli as accounts_cli  # noqa: F401
    from cms import demo  # noqa: F401
    from cms.search import cli as search_cli  # noqa: F401
    from cms.applications import cli as applications_cli  # noqa: F401
    from cms.calendar import cli as calendar_cli  # noqa: F401
    from cms.reports import cli as reports_cli  # noqa: F401
    from cms.jobs import cli as jobs_cli  # noqa: F401
    from cms.workflow import cli as workflow_cli  # noqa: F401
    from cms.clocks import cli as clocks_cli  # noqa: F401
    from cms.content import cli as content_cli  # noqa: F401
    from cms.pages import cli as pages_cli  # noqa: F401


_register()

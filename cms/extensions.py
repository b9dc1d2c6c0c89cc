"""Extension objects, created unbound; ``create_app`` binds them."""
import click
from flask import g
from flask.cli import with_appcontext
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData

# One constraint naming convention so Alembic can name, diff and drop constraints on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))


class _PendingMigrate:
    """Stands in ``app.extensions["migrate"]`` until a migration runs, then binds Flask-Migrate and hands over."""

    def __init__(self, app, db, directory):
        self._app, self._db, self._directory = app, db, directory

    def __getattr__(self, name):
        from flask_migrate import Migrate

        Migrate().init_app(self._app, self._db, directory=self._directory)  # replaces this stand-in
        return getattr(self._app.extensions["migrate"], name)


def _migration_options(directory, x_arg):
    """The options of Flask-Migrate's ``db`` group, kept where its commands read them."""
    g.directory = directory
    g.x_arg = x_arg


class _MigrationCommands(click.Group):
    """``flask db ...``: Flask-Migrate's command group (its options and commands), imported when it is used."""

    @staticmethod
    def _commands():
        from flask_migrate.cli import db as commands

        return commands

    def list_commands(self, ctx):
        return self._commands().list_commands(ctx)

    def get_command(self, ctx, name):
        return self._commands().get_command(ctx, name)


class LazyMigrate:
    """Flask-Migrate, imported only when a migration runs (``flask db ...``, ``flask_migrate.upgrade()``): with
    Alembic it is ~26 MB of every web worker, which never migrates."""

    def init_app(self, app, db, directory):
        app.extensions["migrate"] = _PendingMigrate(app, db, directory)
        app.cli.add_command(_MigrationCommands(
            "db", help="Perform database migrations.", callback=with_appcontext(_migration_options),
            params=[click.Option(["-d", "--directory"], default=None,
                                 help='Migration script directory (default is "migrations")'),
                    click.Option(["-x", "--x-arg"], multiple=True,
                                 help="Additional arguments consumed by custom env.py scripts")]))


migrate = LazyMigrate()
login_manager = LoginManager()
csrf = CSRFProtect()

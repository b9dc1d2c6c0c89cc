"""Template filters and globals shared by every blueprint."""
from datetime import date
from types import BuiltinFunctionType, FunctionType, MethodType

from flask.templating import Environment as FlaskEnvironment
from flask_login import current_user
from jinja2.compiler import CodeGenerator
from jinja2.runtime import Context, Macro

try:  # MarkupSafe's C escaping of a str, as ``escape`` uses it (pinned in setup.cfg)
    from markupsafe._speedups import _escape_inner
except ImportError:  # pragma: no cover - the pure-Python build
    from markupsafe._native import _escape_inner

from cms.clock import local_date_text, to_local


def output_escape(value):
    """What ``{{ value }}`` writes into an autoescaped page: ``markupsafe.escape(value)`` as a plain ``str``.

    The text is the same; only the ``Markup`` wrapper is skipped, which Jinja drops anyway when it joins
    the output (a page of twenty list rows writes about 270 values, and making each a ``Markup`` was a third
    of the cost of writing it)."""
    kind = type(value)
    if kind is str:
        return _escape_inner(value)
    if kind is int:
        return str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape_inner(str(value))


class TemplateCodeGenerator(CodeGenerator):
    """Jinja's code generator, writing ``{{ ... }}`` through ``output_escape`` instead of ``escape``."""

    def visit_Template(self, node, frame=None):
        self.writeline("from cms.templating import output_escape")
        super().visit_Template(node, frame)

    def _output_child_pre(self, node, frame, finalize):
        if frame.eval_ctx.volatile:
            self.write("(output_escape if context.eval_ctx.autoescape else str)(")
        elif frame.eval_ctx.autoescape:
            self.write("output_escape(")
        else:
            self.write("str(")
        if finalize.src is not None:
            self.write(finalize.src)


_PLAIN_CALLABLES = frozenset((FunctionType, BuiltinFunctionType, MethodType, type))


class TemplateContext(Context):
    """Jinja's render context, with a shorter way through ``{{ f(...) }}`` for callables that take no context.

    Jinja routes every call in a template through ``Context.call``, which inspects the callable and its
    ``__call__`` for ``pass_context`` markers each time: a column page makes about 85 calls (links, page
    numbers, macros). Macros and plain functions, methods, builtins and classes without a marker are called
    directly; anything else (a ``pass_context`` function, a callable object) takes Jinja's way.
    """

    def call(self, obj, /, *args, **kwargs):
        kind = type(obj)
        if kind is Macro or (kind in _PLAIN_CALLABLES and not hasattr(obj, "jinja_pass_arg")):
            if kwargs:
                kwargs.pop("_block_vars", None)
                kwargs.pop("_loop_vars", None)
            try:
                return obj(*args, **kwargs)
            except StopIteration:  # as Jinja does
                return self.environment.undefined("value was undefined because a callable raised a"
                                                  " StopIteration exception")
        return super().call(obj, *args, **kwargs)


class TemplateEnvironment(FlaskEnvironment):
    """Flask's Jinja environment, with templates that read the environment's globals directly.

    Jinja gives every template a ``ChainMap(template globals, environment globals)``. Each
    ``{% from ... import %}`` then compares the two templates' globals key by key and each render copies them
    through the ChainMap's Python methods: about half a million instructions a public page, 5% of it. A
    template without globals of its own (every template here: none is loaded with ``globals=``) now gets the
    environment's dict itself, so those become C-level dict operations, and a global registered later is still
    seen. One loaded with globals of its own keeps Jinja's ChainMap.

    Templates are compiled by ``TemplateCodeGenerator`` (``output_escape``) and rendered with a
    ``TemplateContext``.
    """

    code_generator_class = TemplateCodeGenerator
    context_class = TemplateContext

    def make_globals(self, d):
        if not d:
            return self.globals
        return super().make_globals(d)


def _site_org(Organization):
    """The first organization (the site's own on a single-bureau install). Its id is remembered, so a page
    that has loaded it already (an item page loads the item's organization) costs no statement."""
    from flask import current_app, g

    from cms.extensions import db

    if "site_org_view" in g:  # a public page read it in its state statement (cms/content/public_state.py)
        return g.site_org_view
    remembered = current_app.extensions.setdefault("cms_site_org_id", {})
    if "id" in remembered:
        org = db.session.get(Organization, remembered["id"])
        if org is not None:
            return org
    org = Organization.query.order_by(Organization.id).first()
    if org is not None:
        remembered["id"] = org.id
    return org


def init_templating(app):
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.template_filter("local_dt")
    def local_dt(value, fmt="%Y-%m-%d %H:%M"):
        local = to_local(value)
        return local.strftime(fmt) if local else ""

    @app.template_filter("local_date")
    def local_date(value):
        """A stored timestamp's local date, ``YYYY-MM-DD`` (``local_dt(value, '%Y-%m-%d')``, cheaper)."""
        return local_date_text(value)

    @app.template_filter("date_cn")
    def date_cn(value):
        if type(value) is date and value.year >= 1000:
            return value.isoformat()  # the same text as strftime("%Y-%m-%d"), cheaper
        return value.strftime("%Y-%m-%d") if value else ""

    @app.template_filter("enforcement_public")
    def enforcement_public(item):
        """The 双公示 record of an enforcement item, a natural person's name and ID masked."""
        from cms.content.enforcement import public_view

        return public_view(item)
    from cms.content.extraction import STATUS_LABELS

    app.jinja_env.globals["extraction_labels"] = STATUS_LABELS
    from cms.url_memo import item_url_builder, memoized_url_for

    app.jinja_env.globals["url_for"] = memoized_url_for()
    app.jinja_env.globals["item_url"] = item_url_builder(app.jinja_env.globals["url_for"])
    from cms.cleanups.templating import register_template_helpers

    register_template_helpers(app)

    @app.context_processor
    def _globals():
        from cms.accounts.models import Organization

        # The public layout names the site's organization (the first one on a single-bureau install).
        from sqlalchemy.exc import SQLAlchemyError

        from cms.extensions import db

        try:
            site_org = _site_org(Organization)
        except SQLAlchemyError:  # the error page must render even when the database does not answer
            db.session.rollback()
            site_org = None
        values = {"current_user": current_user, "site_org": site_org}
        if current_user.is_authenticated:
            from cms.notifications.services import unread_count

            values["unread_notifications"] = unread_count(current_user)
        return values

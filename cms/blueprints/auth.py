"""Staff login, logout and password change."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from cms.accounts.models import User
from cms.accounts.passwords import verify_password
from cms.accounts.services import authenticate, set_password
from cms.accounts.sessions import end_session, log_out_everywhere, session_is_live, start_session
from cms.accounts.throttle import login_throttle
from cms.accounts.audit import record_audit
from cms.errors import ValidationError
from cms.extensions import db, login_manager

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = "请先登录。"
login_manager.login_message_category = "info"


# The Flask session key holding the random key of the server-side session record.
SESSION_KEY = "_cms_session"


@login_manager.user_loader
def load_user(user_id):
    # The id carries the session epoch: a password change, deactivation or "log out everywhere" ends
    # other sessions. The session record must exist too: logout deletes it, so a copied cookie dies.
    try:
        uid, epoch = (int(part) for part in str(user_id).split(":", 1))
    except ValueError:
        return None
    if not session_is_live(uid, session.get(SESSION_KEY)):
        return None
    user = db.session.get(User, uid)
    if user is None or user.session_epoch != epoch or not user.active:
        return None
    return user


def _begin_session(user):
    login_user(user)
    session[SESSION_KEY] = start_session(user, current_app.config["CMS_SESSION_HOURS"])


def _end_session():
    end_session(session.pop(SESSION_KEY, None))
    logout_user()


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired(message="请输入用户名"), Length(max=64)])
    password = PasswordField("密码", validators=[DataRequired(message="请输入密码"), Length(max=256)])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("当前密码", validators=[DataRequired(message="请输入当前密码")])
    new_password = PasswordField("新密码", validators=[DataRequired(message="请输入新密码"), Length(min=8, max=256)])
    confirm = PasswordField(
        "确认新密码", validators=[DataRequired(message="请再次输入新密码"), EqualTo("new_password", message="两次输入不一致")]
    )


def _safe_next(target):
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("admin.dashboard"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        throttle = login_throttle()
        ip, username = request.remote_addr, form.username.data
        if throttle.blocked(ip, username):
            db.session.commit()
            return (
                render_template("auth/login.html", form=form, error="登录失败次数过多，请稍后再试。"),
                429,
                {"Retry-After": str(throttle.retry_after(ip, username))},
            )
        user = authenticate(username, form.password.data)
        if user is None:
            db.session.commit()  # first: on SQLite the counter must not wait for this request's write lock
            throttle.failed(ip, username)
            # Same message whether or not the username exists.
            return render_template("auth/login.html", form=form, error="用户名或密码错误。"), 401
        _begin_session(user)
        db.session.commit()
        throttle.succeeded(ip, username)
        return redirect(_safe_next(request.args.get("next")) or url_for("admin.dashboard"))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form, error=None), status


@bp.post("/logout")
@login_required
def logout():
    record_audit("logout", current_user, target=f"user:{current_user.username}")
    _end_session()
    db.session.commit()
    flash("您已退出登录。", "info")
    return redirect(url_for("auth.login"))


@bp.post("/account/logout-everywhere")
@login_required
def logout_everywhere():
    """End every session and API token of the current user, this one included."""
    form = FlaskForm()
    if not form.validate_on_submit():
        flash("表单已失效，请重试。", "error")
        return redirect(url_for("auth.password_change"))
    log_out_everywhere(current_user._get_current_object())
    _end_session()
    db.session.commit()
    flash("已在所有设备上退出登录，访问令牌均已作废。", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password_change():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append("当前密码不正确")
            return render_template("auth/password_change.html", form=form), 422
        try:
            set_password(current_user, form.new_password.data)
        except ValidationError as exc:
            form.new_password.errors.append(exc.message)
            return render_template("auth/password_change.html", form=form), 422
        db.session.commit()
        login_user(current_user._get_current_object())  # re-issue the session with the new epoch
        flash("密码已修改。", "success")
        return redirect(url_for("admin.dashboard"))
    status = 422 if request.method == "POST" else 200
    return render_template("auth/password_change.html", form=form), status

"""The user's notifications."""
from flask import redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from cms.blueprints.admin import bp
from cms.extensions import db
from cms.notifications.services import mark_read, recent


@bp.get("/notifications")
def notification_list():
    return render_template("admin/notification_list.html", notifications=recent(current_user))


@bp.post("/notifications/read")
def notification_read_all():
    if FlaskForm().validate_on_submit():
        mark_read(current_user)
        db.session.commit()
    return redirect(url_for("admin.notification_list"))

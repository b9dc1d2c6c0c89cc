"""Every message a person sees on a form is Chinese.

WTForms ships a Chinese catalogue for its validators ("该字段是必填字段。", "字段长度不能超过 500 个字符。");
without Flask-Babel, Flask-WTF would fall back to English ("Field must be between 8 and 256 characters long."),
so the forms use WTForms' own catalogue directly.
"""
from flask_wtf import FlaskForm
from wtforms.validators import Length


def init_form_messages(app):
    app.config.setdefault("WTF_I18N_ENABLED", False)
    FlaskForm.Meta.locales = ("zh",)


class MaxLength(Length):
    """A length limit that is reported as an error, never enforced by silently cutting the input.

    ``Length`` renders ``maxlength`` on the input, and a browser then truncates pasted text without a word; a
    title longer than the limit must be an error the editor sees.
    """

    def __init__(self, max, message=None):  # noqa: A002 (WTForms' own argument name)
        super().__init__(max=max, message=message)
        self.field_flags = {}

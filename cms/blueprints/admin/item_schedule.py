"""The editor form's schedule fields (定时发布时间, 失效时间): read from the posted form, Beijing time."""
from flask import request

from cms.content.scheduling import SCHEDULE_FIELDS, SCHEDULABLE_STATES, local_input, set_schedule


def shows_schedule(item):
    """The form offers the schedule for new items and for drafts or returned originals."""
    return item is None or (item.working_copy_of_id is None and item.state in SCHEDULABLE_STATES)


def form_schedule_values(item):
    """The schedule fields the editor changed (``datetime-local`` values, '' clears); {} when none."""
    values = {}
    for name in SCHEDULE_FIELDS:
        if name not in request.form:
            continue
        raw = (request.form.get(name) or "").strip()[:40]
        current = local_input(getattr(item, name)) if item is not None else ""
        if raw != current:
            values[name] = raw or None
    return values


def apply_form_schedule(item, user):
    """Save the form's schedule on ``item`` (just created or saved); raises ValidationError like the API."""
    if not shows_schedule(item):
        return item
    values = form_schedule_values(item)
    if values:
        set_schedule(item, user, item.version, **values)
    return item

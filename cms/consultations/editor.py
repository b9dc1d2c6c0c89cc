"""The period fields of the item editor (the partial ``admin/_consultation_fields.html``): read from the
posted form, validated by the same rules as the API, saved next to the item."""
from cms.consultations.periods import clean_consultation
from cms.consultations.records import record_of, save_consultation

PREFIX = "consultation_"


def editor_values(formdata, item_type):
    """The ``consultation`` object posted with the editor form, or None when no period was entered."""
    if item_type != "consultation":
        return None
    raw = {name: (formdata.get(PREFIX + name) or "").strip() for name in
           ("kind", "opens_on", "closes_on", "shortened_reason")}
    if not any(raw[name] for name in ("kind", "opens_on", "closes_on")):
        return None
    return clean_consultation({k: v for k, v in raw.items() if v or k != "shortened_reason"})


def save_from_editor(item, formdata, original=None):
    """Validate and save the period fields posted with the editor (raises ValidationError naming the rule)."""
    values = editor_values(formdata, item.type)
    return save_consultation(item, values, original=original)


def editor_fields(item, formdata=None):
    """Values for the partial: what was posted, else the item's stored period."""
    if formdata is not None and any(k.startswith(PREFIX) for k in formdata):
        return {name: formdata.get(PREFIX + name, "") for name in ("kind", "opens_on", "closes_on", "shortened_reason")}
    record = record_of(item) if item is not None else None
    if record is None:
        return {"kind": "", "opens_on": "", "closes_on": "", "shortened_reason": ""}
    return {"kind": record.kind, "opens_on": record.opens_on.isoformat(), "closes_on": record.closes_on.isoformat(),
            "shortened_reason": record.shortened_reason or ""}

"""Personal data shown outside the desk: enough to tell applications apart, not enough to identify anyone."""


def mask_name(name):
    if not name:
        return ""
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id(number):
    if not number:
        return ""
    if len(number) <= 4:
        return "*" * len(number)
    return number[:2] + "*" * (len(number) - 4) + number[-2:]


def mask_phone(phone):
    if not phone:
        return ""
    if len(phone) <= 4:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:] if len(phone) > 7 else "*" * (len(phone) - 4) + phone[-4:]


def mask_email(email):
    if not email or "@" not in email:
        return mask_id(email or "")
    local, _, domain = email.partition("@")
    return (local[0] if local else "") + "***@" + domain


def mask_address(address):
    if not address:
        return ""
    return address[:6] + "****" if len(address) > 6 else "****"


def applicant_view(application, full):
    """The applicant's details as shown to a viewer; ``full`` only for the desk."""
    a = application
    if full:
        return {"applicant_name": a.applicant_name, "contact_person": a.contact_person, "id_number": a.id_number,
                "phone": a.phone, "email": a.email, "address": a.address}
    organization = a.applicant_type != "person"
    return {
        # An organization's name is not personal data; a person's is.
        "applicant_name": a.applicant_name if organization else mask_name(a.applicant_name),
        "contact_person": mask_name(a.contact_person),
        "id_number": mask_id(a.id_number),
        "phone": mask_phone(a.phone),
        "email": mask_email(a.email),
        "address": mask_address(a.address),
    }

"""The applicant's download of a document disclosed with the reply: only through a signed, expiring link
handed out on the status page (after code + contact), only once the application is answered."""
from flask import render_template, url_for

from cms.applications.documents import applicant_documents, document_for_token, send_document
from cms.blueprints.public import bp
from cms.errors import NotFound


@bp.get("/apply/documents/<token>")
def application_document_download(token):
    try:
        document = document_for_token(token)
    except NotFound as exc:
        return render_template("public/error.html", message=exc.message, status=404), 404
    return send_document(document)


@bp.app_context_processor
def _applicant_documents():
    # The status page lists the answered application's documents (apply_status.html's include).
    def links(application):
        if application is None:
            return []
        return applicant_documents(application,
                                   lambda token: url_for("public.application_document_download", token=token))

    return {"applicant_document_links": links}

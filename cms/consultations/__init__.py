"""Public consultations (意见征集): a ``consultation`` item with its comment period, the public's comments,
their moderation and handling, closing (by the queue or early), the XLSX export and the feedback item
(意见采纳情况).

Modules: ``models`` (tables), ``periods`` (the period rules), ``records`` (the period record of an item, kept
across working copies), ``access`` (who manages and who sees personal data), ``comments`` (submitting,
moderating, handling), ``closing`` (closing, the queue duty, reminders), ``feedback`` (the feedback item),
``export`` (XLSX), ``public`` (what the public pages show), ``forms`` (WTForms).
"""

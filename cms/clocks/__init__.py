"""Clocks the plan sets: responses to public concerns (5 h / 24 h / 48 h), NPC suggestions and CPPCC proposals
(three months), budget and final accounts disclosure (20 days after approval).

Modules: ``models`` (tables), ``incidents``, ``proposals``, ``budgets`` (services), ``reminders``
(``send_clock_reminders(now)``, idempotent, for the task queue's periodic tick), ``letters`` (reply DOCX),
``summary`` (yearly XLSX and data for the annual report), ``chart`` (server-rendered SVG), ``cli``.
"""

"""Rendered public pages kept between requests and shared by every worker of a host.

A public item page is rendered once and then served from the page store until something it shows changes.
``validators`` says what a page depends on (one indexed statement per request); ``store`` keeps the
rendered pages on disk in the data folder, shared by the workers; ``warm`` renders every public item page
ahead of visitors (``flask --app wsgi cms pages warm``), and the task queue re-renders the pages a
publication changes.
"""

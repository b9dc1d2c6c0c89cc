import os

import pytest


@pytest.fixture(params=["whoosh", "postgres"])
def backend_name(request, app):
    """Run a test against each backend; PostgreSQL only when the suite runs on PostgreSQL."""
    if request.param == "postgres" and os.environ.get("CMS_TEST_DB") != "postgres":
        pytest.skip("the PostgreSQL backend is tested in the PostgreSQL run")
    previous = app.config["CMS_SEARCH_BACKEND"]
    app.config["CMS_SEARCH_BACKEND"] = request.param
    yield request.param
    app.config["CMS_SEARCH_BACKEND"] = previous

"""``cms search verify`` only checks: it exits 1 and lists what is missing, repairing nothing -- also when it
runs as a real command, whose app start must not drain the outbox first; ``cms search sync`` repairs."""
import os
import subprocess
import sys

from cms.search.models import SearchOutbox
from cms.search.service import reindex
from tests.workflow.helpers import draft, publish

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _flask(app, *args):
    env = {**os.environ, "CMS_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "CMS_DATA_DIR": app.config["CMS_DATA_DIR"], "CMS_SECRET_KEY": "test-secret",
           "CMS_SEARCH_BACKEND": app.config["CMS_SEARCH_BACKEND"]}
    flask = os.path.join(os.path.dirname(sys.executable), "flask")
    return subprocess.run([flask, "--app", "wsgi", "cms", "search", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_verify_reports_and_sync_repairs_through_the_real_command(app, demo):
    reindex()
    app.config["CMS_SEARCH_SYNC"] = False  # the after-commit drain "crashes"
    try:
        item = publish(draft(demo, title="只检查不修复VERIFYONLY"))
    finally:
        app.config["CMS_SEARCH_SYNC"] = True
    assert SearchOutbox.query.filter_by(item_id=item.id).count() == 1
    for _ in range(2):  # a second run still finds it: the first one repaired nothing
        result = _flask(app, "verify")
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Missing from the index (1)" in result.stdout and str(item.id) in result.stdout
        assert SearchOutbox.query.filter_by(item_id=item.id).count() == 1
    result = _flask(app, "sync")
    assert result.returncode == 0, result.stderr
    assert SearchOutbox.query.filter_by(item_id=item.id).count() == 0
    result = _flask(app, "verify")
    assert result.returncode == 0, result.stdout + result.stderr

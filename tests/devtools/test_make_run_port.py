"""`make run PORT=` reaches the development server (scripts/run-dev.sh), default 5000."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run_dev(tmp_path, **env):
    # A stand-in for flask that only records its arguments.
    fake = tmp_path / "fake-flask"
    fake.write_text(f"#!/bin/sh\necho \"$@\" >> {tmp_path / 'calls'}\n")
    fake.chmod(0o755)
    result = subprocess.run([str(ROOT / "scripts" / "run-dev.sh")], env={**os.environ, "FLASK": str(fake), **env},
                            capture_output=True, text=True, timeout=30)
    calls = (tmp_path / "calls").read_text() if (tmp_path / "calls").exists() else ""
    return result, calls


def test_run_dev_serves_on_the_given_port(tmp_path):
    result, calls = _run_dev(tmp_path, PORT="8080")
    assert result.returncode == 0, result.stderr
    assert "run --host 127.0.0.1 --port 8080" in calls
    assert "cms jobs worker" in calls


def test_run_dev_defaults_to_5000(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PORT"}
    fake = tmp_path / "fake-flask"
    fake.write_text(f"#!/bin/sh\necho \"$@\" >> {tmp_path / 'calls'}\n")
    fake.chmod(0o755)
    env["FLASK"] = str(fake)
    subprocess.run([str(ROOT / "scripts" / "run-dev.sh")], env=env, capture_output=True, text=True, timeout=30)
    assert "--port 5000" in (tmp_path / "calls").read_text()


def test_run_dev_refuses_a_port_that_is_not_a_number(tmp_path):
    result, calls = _run_dev(tmp_path, PORT="80; rm -rf x")
    assert result.returncode == 2
    assert "PORT" in result.stderr
    assert "run --host" not in calls


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_passes_port_through():
    out = subprocess.run(["make", "-n", "run", "PORT=8080"], cwd=ROOT, capture_output=True, text=True,
                         timeout=30).stdout
    assert 'PORT="8080"' in out and "scripts/run-dev.sh" in out
    assert "http://127.0.0.1:8080" in out
    default = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, timeout=30).stdout
    assert 'PORT="5000"' in default

#!/bin/sh
# Screenshots of the review screen at 1280 px and 390 px (docs/screenshots/review-1280.png, review-390.png),
# taken by the browser tests of the decision panel with the demo data. Needs /usr/bin/chromium.
set -e
cd "$(dirname "$0")/.."
PYTHON_BIN=${PYTHON_BIN:-.venv/bin/python}
CMS_SCREENSHOTS=1 PYTHONPATH=$PWD "$PYTHON_BIN" -m pytest -q -p no:cacheprovider \
  tests/browser/test_review_screen.py -k "decision_panel"
ls -l docs/screenshots/review-1280.png docs/screenshots/review-390.png

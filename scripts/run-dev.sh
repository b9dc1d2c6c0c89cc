#!/usr/bin/env bash
# Development server: the queue consumer in the background and the web server in the foreground, one
# command (make run). Ctrl-C (or the web server exiting) stops both.
# PORT (default 5000) and HOST (default 127.0.0.1) choose where the web server listens: make run PORT=8080.
set -u
FLASK="${FLASK:-.venv/bin/flask --app wsgi}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-5000}"
case "$PORT" in
    ""|*[!0-9]*) echo "PORT must be a number, got: $PORT" >&2; exit 2 ;;
esac

$FLASK cms jobs worker &
WORKER=$!
stop() {
    trap - INT TERM EXIT
    if kill -0 "$WORKER" 2>/dev/null; then
        kill -INT "$WORKER" 2>/dev/null
        wait "$WORKER" 2>/dev/null
    fi
}
trap stop INT TERM EXIT

$FLASK run --host "$HOST" --port "$PORT"

#!/usr/bin/env bash
# What of the container image can be checked without a Docker engine (optional; not run by
# .ci/helm.sh): the builder stage's own `uv sync` commands, read from the Dockerfile, build
# the venv from uv.lock and the allow-listed build context; then, in a private mount
# namespace with the root filesystem read-only and only /tmp and the data directory
# writable (as the chart runs it), the venv must run `db upgrade`, `serve` with two workers,
# answer /healthz, /readyz and /metrics, pass the Dockerfile's own HEALTHCHECK command,
# and stop cleanly on SIGTERM.
#
#   bash .ci/image-smoke.sh
#
# Needs root (for unshare and mount), python3.11 and PyPI. Differences from the image that
# remain: the host's Python instead of the python:3.11-slim base, uid 0 instead of 10001
# (the read-only root is enforced by the mount, not by permissions), and the venv path.
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SMOKE="$ROOT/.cache/image-smoke"
PORT=18080

die() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }
[[ "$(id -u)" == 0 ]] || die "needs root for unshare and mount"
command -v python3.11 >/dev/null || die "needs python3.11"

uv_version="$(sed -n 's/^ARG UV_VERSION=//p' "$ROOT/Dockerfile")"
mapfile -t uv_syncs < <(sed -n 's/^RUN \(uv sync .*\)$/\1/p' "$ROOT/Dockerfile")
healthcheck="$(sed -n 's/^  CMD \(\[.*\]\)$/\1/p' "$ROOT/Dockerfile")"
[[ -n "$uv_version" && ${#uv_syncs[@]} -eq 2 && -n "$healthcheck" ]] \
  || die "Dockerfile no longer has ARG UV_VERSION, two 'RUN uv sync' lines and a HEALTHCHECK CMD"

rm -rf "$SMOKE"
mkdir -p "$SMOKE/context" "$SMOKE/data"

echo "==> uv $uv_version from PyPI, as the builder stage installs it"
python3.11 -m venv "$SMOKE/uv"
"$SMOKE/uv/bin/pip" install --quiet --disable-pip-version-check "uv==$uv_version"

echo "==> build context: the .dockerignore allow-list, from the committed tree"
git -C "$ROOT" archive HEAD pyproject.toml uv.lock README.md src | tar -x -C "$SMOKE/context"

echo "==> builder stage: ${uv_syncs[*]}"
(
  cd "$SMOKE/context"
  export PATH="$SMOKE/uv/bin:$PATH" UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=python3.11 UV_PROJECT_ENVIRONMENT="$SMOKE/venv"
  for command in "${uv_syncs[@]}"; do
    # shellcheck disable=SC2086 # the Dockerfile's command line, split as the shell would
    $command
  done
)
"$SMOKE/venv/bin/python" -c 'import pytest' 2>/dev/null && die "dev dependencies ended up in the venv"

echo "==> runtime: read-only root, writable /tmp and data directory"
printf '%s' "$healthcheck" >"$SMOKE/healthcheck.json"
cat >"$SMOKE/run.sh" <<EOF
set -eu
mount --bind "$SMOKE/data" "$SMOKE/data"
mount -o remount,ro,bind /
mount -t tmpfs -o size=64m tmpfs /tmp
export PATH="$SMOKE/venv/bin:\$PATH" PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \\
  LISTING_GATE_DATABASE_URL="sqlite+aiosqlite:///$SMOKE/data/listing-gate.db" \\
  LISTING_GATE_HOST=127.0.0.1 LISTING_GATE_PORT=$PORT LISTING_GATE_WORKERS=2 \\
  LISTING_GATE_LOAD_SAMPLE_DATA=true LISTING_GATE_OPEN_MODE=true HOME=/nonexistent
if touch "$SMOKE/venv/write-test" 2>/dev/null; then echo "root filesystem is writable" >&2; exit 1; fi
cd "$SMOKE/data"
listing-gate db upgrade
listing-gate serve >"$SMOKE/data/serve.log" 2>&1 &
pid=\$!
for _ in \$(seq 1 120); do
  python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/healthz', timeout=1)" 2>/dev/null && break
  sleep 0.5
done
python - "$SMOKE/healthcheck.json" <<'PY'
import json, subprocess, sys
subprocess.run(json.load(open(sys.argv[1])), check=True)
print("HEALTHCHECK command: ok")
PY
python - <<'PY'
import urllib.request
for path in ("/healthz", "/readyz", "/metrics"):
    with urllib.request.urlopen("http://127.0.0.1:$PORT" + path, timeout=5) as response:
        assert response.status == 200, path
        print(path, response.status)
PY
kill -TERM "\$pid"
wait "\$pid"
echo "serve stopped on SIGTERM with status \$?"
EOF
timeout 300 unshare --mount --propagation private sh "$SMOKE/run.sh" \
  || { tail -20 "$SMOKE/data/serve.log" >&2 || true; die "the image's runtime smoke test failed"; }
echo "==> image smoke: passed"

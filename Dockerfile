# syntax=docker/dockerfile:1.7
# listing-gate container image.
#
# Two stages: the builder resolves dependencies strictly from uv.lock into /opt/venv;
# the runtime stage copies only that venv onto a fresh slim base, so no build tools,
# caches or sources of ours end up in the image. Both stages use the same base so the
# venv's interpreter symlinks stay valid.
#
#   docker build --build-arg VERSION=0.1.0 --build-arg REVISION="$(git rev-parse HEAD)" \
#     --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" -t listing-gate:0.1.0 .
#
# Pin the base by digest in your registry mirror (python:3.11-slim-bookworm@sha256:...)
# when you promote an image; the tag is what CI here can check.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS builder

# uv comes from PyPI like every other dependency; the version is pinned so a rebuild
# resolves the lock the same way.
ARG UV_VERSION=0.13.9
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3 \
    UV_PROJECT_ENVIRONMENT=/opt/venv
RUN pip install --no-cache-dir "uv==${UV_VERSION}"

WORKDIR /src
# Dependencies first, in their own layer: it is rebuilt only when the lock changes.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
# Then the project itself, installed as a regular (non-editable) wheel into the venv.
COPY src/ src/
RUN uv sync --frozen --no-dev --no-editable


FROM ${PYTHON_IMAGE} AS runtime

ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="listing-gate" \
      org.opencontainers.image.description="Product-compliance gate for e-commerce listings (SAMR Order No. 110)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.licenses="LicenseRef-Proprietary" \
      org.opencontainers.image.base.name="${PYTHON_IMAGE}"

# A fixed numeric uid/gid so Kubernetes runAsNonRoot can verify it without a passwd
# lookup, and so volume ownership is predictable.
RUN groupadd --system --gid 10001 listing-gate \
 && useradd --system --uid 10001 --gid 10001 --no-create-home \
      --home-dir /var/lib/listing-gate --shell /usr/sbin/nologin listing-gate \
 && install -d -o 10001 -g 10001 -m 0750 /var/lib/listing-gate

COPY --from=builder /opt/venv /opt/venv

# The only writable paths the service needs are /var/lib/listing-gate (the embedded
# SQLite default; production points LISTING_GATE_DATABASE_URL at PostgreSQL) and /tmp.
# Bytecode was compiled at build time, so a read-only root filesystem is fine.
ENV PATH=/opt/venv/bin:${PATH} \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    LISTING_GATE_DATABASE_URL=sqlite+aiosqlite:////var/lib/listing-gate/listing-gate.db \
    LISTING_GATE_HOST=0.0.0.0 \
    LISTING_GATE_PORT=8080 \
    LISTING_GATE_WORKERS=1

USER 10001:10001
WORKDIR /var/lib/listing-gate
EXPOSE 8080

# Liveness only (the process answers); readiness needs the database and fresh registries
# and is the orchestrator's business via /readyz. Uses the stdlib: no curl in the image.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('LISTING_GATE_PORT', '8080') + '/healthz', timeout=4)"]

# The same image runs every subcommand (db upgrade, registry import, reverify, keys);
# the default is the API. Workers: LISTING_GATE_WORKERS or `serve --workers N`.
ENTRYPOINT ["listing-gate"]
CMD ["serve"]

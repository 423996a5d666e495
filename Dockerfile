# Three images from one file, each carrying only what it runs:
#
#   docker build --target monitor   -t <registry>/learnflow-monitor:<tag> .    (the offsets exporter)
#   docker build --target gateway   -t <registry>/learnflow-gateway:<tag> .    (the learner gateway)
#   docker build --target functions -t <registry>/learnflow-functions:<tag> .  (every function; the default)
#
# The functions image holds learnflow.events, learnflow.serverless and functions/, with the
# base dependencies only: no broker binary, CLI or manifest checker (learnflow.local). A
# Knative Service (or func.yaml) picks the function with FUNCTION_TARGET,
# FUNCTION_SIGNATURE_TYPE and FUNCTION_SOURCE, which functions-framework reads from the
# environment, so nothing here names a function.
#
# The base image is pinned by digest, so every build starts from the same bytes and a
# re-pushed tag cannot change the image underneath. This digest is python:3.11-slim's
# multi-platform index as docker-library/repo-info recorded it (repos/python/remote/
# 3.11-slim.md at commit 2477d553; built 2026-08-05: Python 3.11.15 on Debian trixie).
# It was read from that record, not pulled: no registry was reachable where it was written.
# To update it, ask the registry for the tag's current index digest, e.g.
#   docker buildx imagetools inspect python:3.11-slim     (the "Digest:" line)
#   crane digest python:3.11-slim
# and replace the sha256 below (keep the tag: it says which line of releases this is).
FROM python:3.11-slim@sha256:90744cff8f32887f075c47d747a173ff333e9e98801667af93c357fa9f5e28ff AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    # The root filesystem is read-only in the cluster; /tmp is the pod's emptyDir.
    HOME=/tmp \
    TMPDIR=/tmp \
    PORT=8080

WORKDIR /app
RUN useradd --uid 10001 --user-group --no-create-home --home-dir /tmp \
       --shell /usr/sbin/nologin learnflow
COPY pyproject.toml README.md ./

# The exporter runs `learnflow monitor`, part of the local toolkit (learnflow.local).
FROM base AS monitor
COPY learnflow/ learnflow/
RUN pip install '.[local]'
USER 10001
# For `docker run`; Kubernetes ignores HEALTHCHECK and uses the Deployment's probes
# (monitoring/monitor-deployment.yaml) on the same /metrics.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD python -c "import os, urllib.request; port = os.environ.get('LEARNFLOW_MONITOR_LISTEN', '127.0.0.1:9464').rpartition(':')[2]; urllib.request.urlopen(f'http://127.0.0.1:{port}/metrics', timeout=4)"
CMD ["learnflow", "monitor"]

# The learner gateway: events, serverless (publisher, settings) and the gateway with its
# ASGI stack (the gateway extra). Neither the functions nor the local toolkit.
FROM base AS gateway
COPY learnflow/__init__.py learnflow/
COPY learnflow/events/ learnflow/events/
COPY learnflow/serverless/ learnflow/serverless/
COPY learnflow/gateway/ learnflow/gateway/
RUN pip install '.[gateway]'
USER 10001
EXPOSE 8080
# Listens on $PORT (8080 by default, what Knative sends to).
CMD ["python", "-m", "learnflow.gateway"]

# The last stage is the default target and what the manifest checks read.
FROM base AS functions
# learnflow/local is not copied: pyproject's package find then installs only events and
# serverless beside functions, and an import of learnflow.local fails in this image.
COPY learnflow/__init__.py learnflow/
COPY learnflow/events/ learnflow/events/
COPY learnflow/serverless/ learnflow/serverless/
COPY functions/ functions/
RUN pip install .
# The default exercise catalogue, from /app rather than site-packages (pyproject's
# exclude-package-data): outside the sandbox's read allow-list. The Services replace it
# with their ConfigMap's file (knative/code-execution*.yaml).
ENV LEARNFLOW_EXERCISES=/app/functions/_exercises/catalogue.yaml

# Numeric, so Kubernetes can verify runAsNonRoot without resolving a name.
USER 10001

EXPOSE 8080

# For `docker run`; Kubernetes ignores HEALTHCHECK and uses the Services' probes on the same
# path (knative/*.yaml), which every target answers (learnflow.serverless wires it).
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.getenv('PORT', '8080') + '/health/liveness', timeout=4)"

# FUNCTION_SOURCE is relative to /app, where functions/<folder>/main.py was copied;
# the packages it imports come from site-packages. HOST and PORT are read from the
# environment too (0.0.0.0:8080 by default, what Knative expects).
CMD ["functions-framework"]

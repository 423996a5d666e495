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
FROM python:3.11-slim AS base

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

# Numeric, so Kubernetes can verify runAsNonRoot without resolving a name.
USER 10001

EXPOSE 8080

# FUNCTION_SOURCE is relative to /app, where functions/<folder>/main.py was copied;
# the packages it imports come from site-packages. HOST and PORT are read from the
# environment too (0.0.0.0:8080 by default, what Knative expects).
CMD ["functions-framework"]

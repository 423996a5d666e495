# One image for every function; a Knative Service (or func.yaml) picks the function
# with FUNCTION_TARGET, FUNCTION_SIGNATURE_TYPE and FUNCTION_SOURCE, which
# functions-framework reads from the environment, so nothing here names a function.
#
#   docker build -t <registry>/learnflow-functions:<tag> .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    # The root filesystem is read-only in the cluster; /tmp is the pod's emptyDir.
    HOME=/tmp \
    TMPDIR=/tmp \
    PORT=8080

WORKDIR /app

# Dependencies and code in one layer set: pyproject's setuptools find includes
# learnflow* and functions*, so `pip install .` installs both packages.
COPY pyproject.toml README.md ./
COPY learnflow/ learnflow/
COPY functions/ functions/
RUN pip install . \
    && useradd --uid 10001 --user-group --no-create-home --home-dir /tmp \
       --shell /usr/sbin/nologin learnflow

# Numeric, so Kubernetes can verify runAsNonRoot without resolving a name.
USER 10001

EXPOSE 8080

# FUNCTION_SOURCE is relative to /app, where functions/<folder>/main.py was copied;
# the packages it imports come from site-packages. HOST and PORT are read from the
# environment too (0.0.0.0:8080 by default, what Knative expects).
CMD ["functions-framework"]

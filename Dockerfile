# Code location image of crm_pipelines.
#
# One image serves two roles on Kubernetes (deploy/helm/values.yaml):
#   - the gRPC code server of the chart's dagster-user-deployments (this CMD), and
#   - every run pod the K8sRunLauncher starts (the chart passes the code server's image to the runs and
#     replaces the command with `dagster api execute_run ...`).
# The webserver and the daemon run the chart's own Dagster images, not this one.
#
# No secret is baked in: every credential comes from the Kubernetes Secret `crm-pipelines-secrets` as
# environment variables at run time (deploy/helm/secret.example.yaml).
#
# Build:  docker build -t <registry>/crm-pipelines:<git-sha> .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# dagster-k8s is not a dependency of the project (pyproject.toml) but run pods need it: a run pod loads
# the instance config (the chart's dagster.yaml), which names dagster_k8s.K8sRunLauncher. It is pinned to
# the same release as dagster==1.13.27 / dagster-postgres==0.29.27.
# Compute logs in a bucket need the matching integration in this image too, e.g.
#   docker build --build-arg EXTRA_PIP_PACKAGES="dagster-aws==0.29.27" .
ARG DAGSTER_K8S_VERSION=0.29.27
ARG EXTRA_PIP_PACKAGES=""

# Non-root user with a numeric id, so `runAsNonRoot: true` can be enforced by the pod security context.
RUN groupadd --system --gid 10001 dagster \
 && useradd --system --uid 10001 --gid dagster --home-dir /home/dagster --create-home \
            --shell /usr/sbin/nologin dagster

WORKDIR /opt/crm_pipelines

COPY pyproject.toml setup.py README.md ./
COPY crm_pipelines ./crm_pipelines
RUN pip install . "dagster-k8s==${DAGSTER_K8S_VERSION}" ${EXTRA_PIP_PACKAGES} \
 && pip check \
 && rm -rf build ./*.egg-info

USER 10001:10001

EXPOSE 4000

# CMD, not ENTRYPOINT: the Helm chart sets the container's `args` (code server) and the K8sRunLauncher sets
# the run pod's command line; an ENTRYPOINT would be prepended to both.
# `dagster code-server start` is the current form of the older `dagster api grpc` (same -h/-p/-m options).
CMD ["dagster", "code-server", "start", "-h", "0.0.0.0", "-p", "4000", "-m", "crm_pipelines.definitions"]

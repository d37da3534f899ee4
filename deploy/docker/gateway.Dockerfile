# The gateway image, built from the repository root with the same pinned files as scripts/setup.sh:
#   docker build -f deploy/docker/gateway.Dockerfile -t tgd/gateway:dev .
# No secret is baked in: AMQP_URI and the TGD_GATEWAY_* settings come from the environment.
# PYTHON_IMAGE is an exact tag; production builds pin it by digest (docs/operations.md).
ARG PYTHON_IMAGE=python:3.11.7-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
WORKDIR /src
COPY requirements/ requirements/
RUN python -m venv /opt/tgd \
 && /opt/tgd/bin/pip install --no-cache-dir --disable-pip-version-check \
      -c requirements/constraints.txt -r requirements/base.txt
COPY libs/contracts/ libs/contracts/
COPY libs/servicekit/ libs/servicekit/
COPY gateway/ gateway/
RUN /opt/tgd/bin/pip install --no-cache-dir --disable-pip-version-check --no-deps \
      -c requirements/constraints.txt libs/contracts libs/servicekit ./gateway

FROM ${PYTHON_IMAGE}
RUN groupadd --system --gid 10001 tgd \
 && useradd --system --uid 10001 --gid tgd --no-create-home --shell /usr/sbin/nologin tgd
COPY --from=build /opt/tgd /opt/tgd
# Inside a container the gateway listens on every interface of its own network namespace;
# who may reach it is decided by the network (compose network, Kubernetes NetworkPolicy).
# TGD_ENV=production: an image refuses development keys and secrets unless told otherwise.
ENV PATH=/opt/tgd/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    TGD_ENV=production \
    TGD_GATEWAY_HOST=0.0.0.0 \
    TGD_GATEWAY_PORT=8080
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-m", "tgd_servicekit.health", "http://127.0.0.1:8080/health"]
CMD ["python", "-m", "gateway"]

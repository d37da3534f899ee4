# One image per service, from one Dockerfile: --build-arg SERVICE=<referral|evaluation|device|alert|notify>.
# Built from the repository root with the same pinned files as scripts/setup.sh:
#   docker build -f deploy/docker/service.Dockerfile --build-arg SERVICE=referral -t tgd/referral:dev .
# No secret is baked in: AMQP_URI, MONGODB_URI... come from the environment at run time.
# PYTHON_IMAGE is an exact tag; production builds pin it by digest (docs/operations.md):
#   --build-arg PYTHON_IMAGE=python:3.11.7-slim-bookworm@sha256:<digest>
ARG PYTHON_IMAGE=python:3.11.7-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ARG SERVICE
RUN test -n "$SERVICE" || { echo "build with --build-arg SERVICE=<name>" >&2; exit 1; }
WORKDIR /src
COPY requirements/ requirements/
RUN python -m venv /opt/tgd \
 && /opt/tgd/bin/pip install --no-cache-dir --disable-pip-version-check \
      -c requirements/constraints.txt -r requirements/base.txt
COPY libs/contracts/ libs/contracts/
COPY libs/servicekit/ libs/servicekit/
COPY services/${SERVICE}/ services/${SERVICE}/
RUN /opt/tgd/bin/pip install --no-cache-dir --disable-pip-version-check --no-deps \
      -c requirements/constraints.txt libs/contracts libs/servicekit services/${SERVICE}

FROM ${PYTHON_IMAGE}
ARG SERVICE
RUN groupadd --system --gid 10001 tgd \
 && useradd --system --uid 10001 --gid tgd --no-create-home --shell /usr/sbin/nologin tgd
COPY --from=build /opt/tgd /opt/tgd
# tgd-service reads TGD_SERVICE when no name is given; health endpoints on 8081 (tgd_servicekit.health).
# TGD_ENV=production: an image refuses development keys and secrets unless told otherwise.
ENV PATH=/opt/tgd/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    TGD_SERVICE=${SERVICE} \
    TGD_ENV=production \
    TGD_HEALTH_HOST=0.0.0.0 \
    TGD_HEALTH_PORT=8081
USER 10001:10001
EXPOSE 8081
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-m", "tgd_servicekit.health"]
ENTRYPOINT ["tgd-service"]

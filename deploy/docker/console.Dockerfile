# The console image (the people's screens: the operators' console de régulation, the parquet's and the association's), built from the repository root:
#   docker build -f deploy/docker/console.Dockerfile -t tgd/console:dev .
# It holds no token and no secret of its own but the session key (TGD_CONSOLE_SESSION_KEY, from the
# environment); it reaches the gateway at TGD_GATEWAY_URL with each person's own token.
ARG PYTHON_IMAGE=python:3.11.7-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
WORKDIR /src
COPY requirements/ requirements/
RUN python -m venv /opt/tgd \
 && /opt/tgd/bin/pip install --no-cache-dir --disable-pip-version-check \
      -c requirements/constraints.txt -r requirements/base.txt
COPY libs/servicekit/ libs/servicekit/
COPY console/ console/
RUN /opt/tgd/bin/pip install --no-cache-dir --disable-pip-version-check --no-deps \
      -c requirements/constraints.txt libs/servicekit ./console

FROM ${PYTHON_IMAGE}
RUN groupadd --system --gid 10001 tgd \
 && useradd --system --uid 10001 --gid tgd --no-create-home --shell /usr/sbin/nologin tgd
COPY --from=build /opt/tgd /opt/tgd
# TGD_ENV=production: the image refuses the development session key unless told otherwise.
ENV PATH=/opt/tgd/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    TGD_ENV=production \
    TGD_CONSOLE_HOST=0.0.0.0 \
    TGD_CONSOLE_PORT=8090
USER 10001:10001
EXPOSE 8090
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-m", "tgd_servicekit.health", "http://127.0.0.1:8090/health"]
CMD ["tgd-console"]

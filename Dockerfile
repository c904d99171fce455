# The runtime's image (`localstack start` builds it from this folder when it is missing or of
# another version; by hand: docker build --build-arg VERSION=0.1.0 -t localstack-ts/localstack:0.1.0 .).
# `--build-arg AWS_CLI=0` builds it without the AWS CLI and boto3 (see README, In Docker, for
# both sizes).
#
# What runs in the final image: node with the production dependencies, the transpiled dist/
# (with the AWS models, runtime/aws/models/botocore/*.json.br), the CLI (for the healthcheck
# and `awslocal`), python3 (Python Lambda functions, .py init hooks), curl, and in /opt/python
# the AWS CLI v1 and boto3, which init hooks use as they do in LocalStack's image.
#
# Why AWS CLI v1 from PyPI and not v2: v2 is distributed only by its own installer from
# awscli.amazonaws.com (not on PyPI, and unreachable where this image is often built), while
# v1 is an ordinary pip package, pinned in docker/python-requirements.txt; both speak the same
# commands for what init hooks do (s3 mb, sqs create-queue, ssm put-parameter...). `awslocal`
# is this package's own wrapper (bin/awslocal.js), so that it behaves in the container exactly
# as on a host; it runs the `aws` installed here.
#
# Build speed (the engine's classic builder runs the stages one after another and caches each
# step): the Node dependencies' layer changes only with package-lock.json (and the docker/
# scripts it runs), the Python tools' layer only with docker/python-requirements.txt (and its
# install script), and the sources are the last layers, so a change to them rebuilds only the
# transpiling step and the final copies (see BENCHMARKS.md, The image).

# production dependencies, keyed on the lock file alone (manifest-from-lock.mjs). The lock file
# is the very first step: the classic builder follows the newest cached image of a step, and a
# first step any image may share (WORKDIR) can lead it down another build's chain, missing
# the cache of every step after it.
FROM node:22-bookworm-slim AS deps
COPY package-lock.json /opt/localstack/
WORKDIR /opt/localstack
COPY docker/manifest-from-lock.mjs docker/prune-dependencies.mjs /tmp/
# then type declarations, source maps and docs of the dependencies go
RUN node /tmp/manifest-from-lock.mjs \
 && npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund --loglevel=error \
 && node /tmp/prune-dependencies.mjs

# dist/ from the TypeScript sources: the production dependencies (the build writes the oclif
# manifest with @oclif/core) plus esbuild alone, at the lock's version, instead of every dev
# dependency (the test clients, vitest, eslint: a few hundred packages nothing here runs)
FROM deps AS build
RUN version=$(node -p "require('./package-lock.json').packages['node_modules/esbuild'].version") \
 && npm install --prefix /opt/esbuild --no-save --no-package-lock --no-audit --no-fund --loglevel=error "esbuild@${version}" \
 && ln -s /opt/esbuild/node_modules/esbuild node_modules/esbuild
COPY package.json ./
COPY scripts/build.mjs scripts/
COPY runtime runtime
COPY src src
COPY commands commands
# (the build also writes oclif.manifest.json, so that the CLI imports only the command it runs)
RUN node scripts/build.mjs && find dist -name '*.map' -delete

# the operating system part of the final image; no docs, man pages or apt caches in the layer.
# The .pth file puts /opt/python (the AWS CLI and boto3, from the next stage) on python3's path
# (Debian's python3 reads /usr/lib/python3/dist-packages, whatever its minor version).
FROM node:22-bookworm-slim AS os
RUN printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' 'path-exclude /usr/share/man/*' \
      'path-exclude /usr/share/locale/*' > /etc/dpkg/dpkg.cfg.d/01-localstack-slim \
 && apt-get update \
 && apt-get install -y --no-install-recommends python3 curl \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \
 && mkdir -p /usr/lib/python3/dist-packages && echo /opt/python > /usr/lib/python3/dist-packages/localstack-ts.pth \
 && (id -u node >/dev/null 2>&1 || useradd --uid 1000 --user-group --create-home --shell /bin/bash node) \
 && mkdir -p /var/lib/localstack/logs /etc/localstack/init \
 && chown -R node:node /var/lib/localstack

# the AWS CLI v1 and boto3 into /opt/python (pip only in this stage; AWS_CLI=0: nothing)
FROM os AS python
ARG AWS_CLI=1
COPY docker/python-requirements.txt docker/install-python-tools.sh /tmp/
RUN /tmp/install-python-tools.sh

FROM os
WORKDIR /opt/localstack
COPY --from=python /opt/python /opt/python
COPY --from=deps /opt/localstack/node_modules node_modules
COPY docker/entrypoint.sh /usr/local/bin/docker-entrypoint.sh
COPY bin/localstack.js bin/awslocal.js bin/wrapper-launcher.js bin/
RUN ln -s /opt/localstack/bin/localstack.js /usr/local/bin/localstack \
 && ln -s /opt/localstack/bin/awslocal.js /usr/local/bin/awslocal \
 && if [ -e /opt/python/bin/aws ]; then ln -s /opt/python/bin/aws /usr/local/bin/aws; fi

# the gateway on every interface of the container (a host process keeps to loopback); the
# runtime's output also goes to the volume, so the last run's log outlives the container
ENV GATEWAY_LISTEN=0.0.0.0:4566 \
    LS_LOG_FILE=/var/lib/localstack/logs/localstack.log \
    NODE_ENV=production
VOLUME /var/lib/localstack
EXPOSE 4566 4510-4559
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 \
  CMD ["localstack", "status", "services", "-f", "json"]
# starts as root only to give the volume and the Docker socket to the user the runtime runs as
# (docker/entrypoint.sh), then runs dist/runtime/main.js without privileges; it prints `Ready.`
ENTRYPOINT ["docker-entrypoint.sh"]

# the sources last: a change to them rebuilds only what follows
COPY package.json ./
COPY --from=build /opt/localstack/oclif.manifest.json ./
COPY --from=build /opt/localstack/dist dist

ARG VERSION=dev
ARG SOURCE_DIGEST=
LABEL org.opencontainers.image.title="localstack-ts" \
      org.opencontainers.image.description="A free, fast, open-source local AWS cloud" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      cloud.localstack-ts.source-digest="${SOURCE_DIGEST}"

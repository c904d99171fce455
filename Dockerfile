# The runtime's image (`localstack start` builds it from this folder when it is missing or of
# another version; by hand: docker build --build-arg VERSION=0.1.0 -t localstack-ts/localstack:0.1.0 .).
#
# Three stages so that the final image holds only what runs: production dependencies, the
# transpiled dist/ (with the AWS models, runtime/aws/models/botocore/*.json.br), the CLI for the
# healthcheck, and python3. Dependency layers come first: they only change with the lock file.

# production dependencies
FROM node:22-bookworm-slim AS deps
WORKDIR /opt/localstack
COPY package.json package-lock.json ./
# type declarations, source maps and docs of the dependencies go
COPY docker/prune-dependencies.mjs /tmp/
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
 && node /tmp/prune-dependencies.mjs

# dist/ from the TypeScript sources (esbuild is a dev dependency)
FROM node:22-bookworm-slim AS build
WORKDIR /opt/localstack
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
# esbuild's binary comes from an optional dependency that --ignore-scripts leaves in place
COPY scripts/build.mjs scripts/
COPY runtime runtime
COPY src src
COPY commands commands
# (the build also writes oclif.manifest.json, so that the CLI imports only the command it runs)
RUN node scripts/build.mjs && find dist -name '*.map' -delete

FROM node:22-bookworm-slim
# python3 for Python Lambda functions; no docs, man pages or apt caches in the layer
RUN printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' 'path-exclude /usr/share/man/*' \
      'path-exclude /usr/share/locale/*' > /etc/dpkg/dpkg.cfg.d/01-localstack-slim \
 && apt-get update \
 && apt-get install -y --no-install-recommends python3 \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \
 && (id -u node >/dev/null 2>&1 || useradd --uid 1000 --user-group --create-home --shell /bin/bash node) \
 && mkdir -p /var/lib/localstack/logs /etc/localstack/init \
 && chown -R node:node /var/lib/localstack
WORKDIR /opt/localstack
COPY --from=deps /opt/localstack/node_modules node_modules
COPY --from=build /opt/localstack/dist dist
COPY --from=build /opt/localstack/oclif.manifest.json ./
COPY package.json ./
COPY bin/localstack.js bin/
COPY docker/entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN ln -s /opt/localstack/bin/localstack.js /usr/local/bin/localstack

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

ARG VERSION=dev
ARG SOURCE_DIGEST=
LABEL org.opencontainers.image.title="localstack-ts" \
      org.opencontainers.image.description="A free, fast, open-source local AWS cloud" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      cloud.localstack-ts.source-digest="${SOURCE_DIGEST}"

# syntax=docker/dockerfile:1
# The production image: build once with dev dependencies, run with production dependencies only.
# Node.js 24 (LTS): the same major as package.json's `engines` and the `node` devDependency the tests
# run on (tests/unit/runtime-version.test.ts keeps the three in step; docs/deploy.md, "Runtime").

FROM node:24-bookworm-slim AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

# All dependencies, cached as long as package.json and the lock file do not change.
# `npm install`, not `npm ci`: the lock file lacks other platforms' optional native packages,
# which makes `npm ci` refuse it (see docs PITFALLS); `npm install` still honours the lock.
FROM base AS deps
# patches/: fixes to installed packages, applied by the postinstall script (patch-package).
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm install

FROM deps AS build
COPY . .
# The compile cache the build makes belongs to root: the runtime stage makes the app's own.
RUN npm run build && rm -rf build/compile-cache

# Production dependencies only, installed apart so the runtime stage copies a finished node_modules:
# no dev dependency (Vite, esbuild, TypeScript, Playwright, the `node` package the tests pin) and no
# npm cache reach the image.
FROM base AS prod-deps
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm install --omit=dev && npm cache clean --force

FROM base AS runtime
# sqlite3 is for operators only (backups through `fly ssh console`, see docs/deploy.md).
RUN apt-get update \
 && apt-get install -y --no-install-recommends sqlite3 \
 && rm -rf /var/lib/apt/lists/*

COPY package.json package-lock.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/build ./build
# Operator commands (`npm run digest`, `npm run sync`, `npm run admin:grant`, `npm run db:migrate`) run
# the TypeScript sources with tsx, so the sources they import ship too.
COPY tsconfig.json ./
COPY app ./app
COPY db ./db
COPY emails ./emails
COPY scripts ./scripts

# The heap cap leaves room for native memory on Fly's 256 MB machines, and 8 MB semi-spaces (V8's
# default is 16) keep the young generation at 16 MB instead of 32 (see docs/performance.md).
# bench/http.ts reads NODE_OPTIONS from here: keep them on this one line.
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-old-space-size=160 --max-semi-space-size=8" \
    PORT=8080 \
    DATABASE_URL=file:/data/roadies.db \
    NODE_COMPILE_CACHE=/app/compile-cache

# The code stays owned by root (read-only for the app); the app writes only to /data and to its
# compile cache (below).
# Fly mounts the volume owned by the image's USER, and Docker copies this directory's
# ownership into an empty named volume, so `node` can write there in both cases.
RUN mkdir -p /data /app/compile-cache && chown node:node /data /app/compile-cache
USER node

# Node's compile cache (NODE_COMPILE_CACHE above) of the modules the server loads before it listens
# (scripts/compile-cache.js), so that a machine starting from the image does not parse and compile
# them again. Made here, as the user the app runs as: Node keeps one cache per user id, and reads
# only its own. Node processes add there what they compile later (the server's first pages, operator
# commands).
RUN node scripts/compile-cache.js

EXPOSE 8080

# Fly runs its own checks (fly.toml); this one is for `docker run` and other hosts.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "build/server.js"]

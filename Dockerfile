# syntax=docker/dockerfile:1
# Shelter Line orchestrator for Cloud Run: `docker build -t shelter-line .` (see README "Deploying").

# Production dependencies only; better-sqlite3's native addon is built here (toolchain in the full image).
FROM node:24-bookworm AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# The build: every dependency, then the server (tsc) and the board (vite) into dist/.
FROM node:24-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY provisioning provisioning
COPY server server
COPY client client
RUN npm run build

# What runs: plain node, production dependencies, the built output; nothing of the toolchain.
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    ORCH_DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json package-lock.json ./
# The image's own non-root user; it owns only the data dir (SQLite mode; on Firestore it stays empty).
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080
# Cloud Run ignores HEALTHCHECK (it has its own probes: point them at /readyz); docker and compose use it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# exec form: node is PID 1 and receives Cloud Run's SIGTERM itself (graceful shutdown within 10 s).
CMD ["node", "dist/server/main.js"]

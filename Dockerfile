# One image for both production processes (api, worker) and the set-up job: Node 24 LTS, the
# TypeScript compiled once at build time, `node` itself as the process (compose runs it under an
# init, so SIGTERM reaches it and the worker drains).
FROM node:24-bookworm-slim
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci --no-audit --no-fund
COPY . .
# dist/: the compiled processes and CLI, and the workflow bundle the worker loads instead of bundling at start.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund
ENV NODE_ENV=production WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
USER node
CMD ["node", "--enable-source-maps", "dist/src/api.js"]

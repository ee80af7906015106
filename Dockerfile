# The svcpath image: the server, the web app and the agent in one.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY . .
RUN npm ci && npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends iptables nftables ipvsadm ipset \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src /app
USER 65532
ENTRYPOINT ["node", "/app/apps/cli/dist/main.js"]

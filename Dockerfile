# supamigrate for CI systems other than GitHub Actions.
#   docker build -t supamigrate .
#   docker run --rm -v "$PWD:/work" -e SUPABASE_DB_URL supamigrate plan --check
FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Dev tools with install scripts (the Supabase CLI, deno) are not needed to compile.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The build writes the spec validator from the schema (dist/spec/schema-validator.js).
COPY schemas ./schemas
RUN npm run build

FROM node:22-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY schemas ./schemas
COPY migrations.example ./migrations.example
# git is what `plan --diff <ref>` reads the base plan with.
RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates && rm -rf /var/lib/apt/lists/* \
  && git config --system --add safe.directory '*'
USER node
WORKDIR /work
ENTRYPOINT ["node", "/app/bin/supamigrate.js"]
CMD ["--help"]

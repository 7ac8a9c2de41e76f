#!/bin/sh
# Compiles the benchmark and the engine into a scratch folder and runs it (no ts-node here).
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp -d /tmp/sm-bench-XXXXXX)
"$root/node_modules/.bin/tsc" --outDir "$out" --rootDir "$root" --target ES2022 --module commonjs --moduleResolution node \
  --esModuleInterop --skipLibCheck --resolveJsonModule --types node --strict "$root/bench/data/bench.ts"
SM_ROOT="$root" NODE_PATH="$root/node_modules" node "$out/bench/data/bench.js"
rm -rf "$out"

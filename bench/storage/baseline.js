// The yardstick for bench:storage: a bare supabase-js loop, as a script would upload a tree:
// read each file, `upload(path, bytes)`, the same number in flight as the engine. No checkpoints,
// no hashing, no rewrites. Runs in its own process, against the same stand-in.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { walkFiles, storageApi } = require('../../dist/execute/storage');

async function main() {
  const tree = process.env.BENCH_TREE;
  const parallel = Number(process.env.BENCH_PARALLEL);
  const api = storageApi(process.env.SUPABASE_URL, process.env.SUPABASE_SERVICE_ROLE_KEY);
  const paths = walkFiles(tree);
  const t = process.hrtime.bigint();
  let next = 0;
  let bytes = 0;
  const worker = async () => {
    while (next < paths.length) {
      const path = paths[next++];
      const body = readFileSync(join(tree, path));
      const { error } = await api
        .from('base')
        .upload(path, body, { contentType: 'application/octet-stream', upsert: true });
      if (error) throw new Error(`${path}: ${error.message}`);
      bytes += body.length;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  process.stdout.write(JSON.stringify({ seconds, uploaded: paths.length, bytes }));
}

main().catch((err) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});

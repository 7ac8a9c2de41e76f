// The engine's half of bench:storage, in its own process so its memory is measured alone:
// inventory (what `plan` reads) then the transfer (what `apply` runs), over the engine's own HTTP client.
const { openDb } = require('../../dist/db');
const { hashFile, walkFiles, storageEndpoint, transferBucket } = require('../../dist/execute/storage');
const { bucketObjects } = require('../../dist/plan/storage/objects');
const { basename, join } = require('node:path');

async function main() {
  const tree = process.env.BENCH_TREE;
  let t = process.hrtime.bigint();
  const files = walkFiles(tree).map((path) => ({ path, ...hashFile(join(tree, path)) }));
  const inventorySeconds = Number(process.hrtime.bigint() - t) / 1e9;
  const name = process.env.BENCH_BUCKET ?? 'bench';
  const bucket = { name, public: false, fileSizeLimit: null, allowedMimeTypes: null, cacheControlSeconds: 3600, access: [], sources: [{ kind: 'directory', directory: basename(tree), prefix: '' }] };
  const objects = bucketObjects(bucket, { [basename(tree)]: files }, {});
  const manifest = { bucket: name, public: false, fileSizeLimit: null, allowedMimeTypes: null, cacheControlSeconds: 3600, objects };
  const db = await openDb(process.env.BENCH_TARGET);
  const endpoint = storageEndpoint(process.env.SUPABASE_URL, process.env.SUPABASE_SERVICE_ROLE_KEY);
  t = process.hrtime.bigint();
  const r = await transferBucket({ db, endpoint, dir: join(tree, '..'), manifest, parallel: Number(process.env.BENCH_PARALLEL), retries: 3 });
  const transferSeconds = Number(process.hrtime.bigint() - t) / 1e9;
  await db.close();
  endpoint.agent.destroy();
  if (!r.ok) throw new Error(JSON.stringify(r.failed.slice(0, 3)));
  process.stdout.write(JSON.stringify({ inventorySeconds, transferSeconds, uploaded: r.uploaded, bytes: r.bytes }));
}

main().catch((err) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});

// bench/online: online migration of a pgbench source (scale BENCH_SCALE, default 10) while pgbench
// writes at a steady rate (BENCH_RATE transactions/s, default 100), on the local server
// (BENCH_DATABASE_URL, else TEST_DATABASE_URL; wal_level = logical). In one run it measures:
//   - the offline apply (nothing writing) against apply --online (pgbench writing), same data;
//   - the catch-up: `sync --until-lag 1` after BENCH_BACKLOG seconds (default 20) of writes piled up,
//     in row changes per second, against the rate the writer produces them;
//   - the cutover downtime measured from outside: a probe writes to the source every 10 ms until a
//     write is refused (the write stop), then, once `cutover` has exited, writes to the target as
//     the switched application would; downtime = first refused source write -> first accepted
//     target write. cutover's own figure (on the target's clock) is printed next to it.
// Run once: the machine is shared. Source and target are databases of the same server, so the
// slot also reads the WAL the target's load writes (and anyone else's), which the figures include.
const { execFileSync, spawn } = require('node:child_process');
const { appendFileSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { randomBytes } = require('node:crypto');
const { performance } = require('node:perf_hooks');
const { Client } = require('pg');

const ROOT = join(__dirname, '../..');
const admin =
  process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
const SCALE = Number(process.env.BENCH_SCALE || 10);
const RATE = Number(process.env.BENCH_RATE || 100);
const BACKLOG_S = Number(process.env.BENCH_BACKLOG || 20);

const urlOf = (name) => Object.assign(new URL(admin), { pathname: `/${name}` }).toString();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();
const quiet = { ...process.env, PGOPTIONS: '-c client_min_messages=warning' };
const psql = (url, sql) =>
  execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], {
    env: quiet,
    encoding: 'utf8',
  }).trim();

/** Runs the built CLI; resolves with its exit code, output, each stdout line's arrival and wall seconds. */
function cli(dir, env, args) {
  return new Promise((resolve) => {
    const start = now();
    const bin = join(ROOT, 'bin/supamigrate.js');
    const child = spawn(process.execPath, [bin, ...args, '--spec', join(dir, 'migration.yaml')], {
      cwd: dir,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    const lines = [];
    child.stdout.on('data', (c) => {
      const at = now();
      stdout += c;
      String(c)
        .split('\n')
        .filter(Boolean)
        .forEach((text) => lines.push({ at, text }));
    });
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) =>
      resolve({ code, stdout, stderr, lines, seconds: (now() - start) / 1000, endedAt: now() }),
    );
  });
}

async function must(what, run) {
  const r = await run;
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.stdout.slice(-1500)}\n${r.stderr.slice(-1500)}`);
  return r;
}

/** pgbench's TPC-B (3 updates + 1 insert) 4 times in 5, an insert into events (a sequence) 1 in 5. */
function startWriter(url, dir) {
  const script = join(dir, 'events.sql');
  writeFileSync(script, "insert into events (note) values ('w');\n");
  const args = ['-n', '-c', '2', '-T', '3600', '-R', String(RATE), '-b', 'tpcb-like@4', '-f', `${script}@1`, url];
  const child = spawn('pgbench', args, { stdio: 'ignore', env: quiet });
  const exited = new Promise((r) => child.on('exit', (code) => r(code)));
  return { child, exited };
}

/** Row changes the writer made so far: 4 per TPC-B transaction (one history row each), 1 per event. */
function rowChanges(url) {
  const [h, e] = psql(url, 'select (select count(*) from pgbench_history), (select count(*) from events)').split('|');
  return 4 * Number(h) + Number(e);
}

/** The application's writes, from outside: to the source until refused, then to the target once told to switch. */
function startProbe(sourceUrl) {
  const probe = { lastOk: null, firstRefused: null, refusal: null, stop: false, writes: 0 };
  probe.done = (async () => {
    let client = null;
    while (!probe.stop && probe.firstRefused === null) {
      const at = now();
      try {
        if (!client) {
          client = new Client({ connectionString: sourceUrl });
          client.on('error', () => {});
          await client.connect();
        }
        await client.query("insert into events (note) values ('probe')");
        probe.lastOk = now();
        probe.writes++;
      } catch (err) {
        probe.firstRefused = at;
        probe.refusal = err.message;
      }
      await sleep(10);
    }
    await client?.end().catch(() => {});
  })();
  return probe;
}

/** Writes to the target as the application would after switching: a new connection, retried until accepted. */
async function firstTargetWrite(targetUrl) {
  for (;;) {
    const client = new Client({ connectionString: targetUrl });
    client.on('error', () => {});
    try {
      await client.connect();
      const r = await client.query("insert into events (note) values ('switched') returning id");
      return { at: now(), id: r.rows[0].id };
    } catch {
      await sleep(5);
    } finally {
      await client.end().catch(() => {});
    }
  }
}

async function setUp(dir, source, offline, online) {
  for (const db of [source, offline, online]) psql(admin, `create database ${db}`);
  const t0 = now();
  execFileSync('pgbench', ['-i', '-q', '-s', String(SCALE), urlOf(source)], { stdio: 'ignore', env: quiet });
  psql(urlOf(source), 'create table events (id bigserial primary key, note text not null)');
  psql(urlOf(source), 'vacuum analyze');
  const seeded = (now() - t0) / 1000;
  const env = { SOURCE_DATABASE_URL: urlOf(source), SUPABASE_DB_URL: urlOf(offline) };
  await must('init', cli(dir, env, ['init', '--source', urlOf(source), '--name', 'benchonline']));
  appendFileSync(join(dir, 'migration.yaml'), 'online:\n  write_stop: read-only\n  session_wait_seconds: 20\n');
  await must('plan', cli(dir, env, ['plan']));
  for (const t of [offline, online]) await must('bootstrap', cli(dir, env, ['bootstrap', '--target', urlOf(t)]));
  return seeded;
}

async function measure(dir, source, offline, online) {
  const src = urlOf(source);
  const off = await must(
    'apply (offline)',
    cli(dir, { SOURCE_DATABASE_URL: src, SUPABASE_DB_URL: urlOf(offline) }, ['apply']),
  );
  const count = (url) => psql(url, 'select count(*) from pgbench_accounts');
  if (count(urlOf(offline)) !== count(src)) throw new Error('the offline apply did not load every account');
  const env = { SOURCE_DATABASE_URL: src, SUPABASE_DB_URL: urlOf(online) };
  const writer = startWriter(src, dir);
  await sleep(3000);
  const w0 = { rows: rowChanges(src), at: now() };
  const on = await must('apply --online', cli(dir, env, ['apply', '--online']));
  await sleep(BACKLOG_S * 1000);
  const behind = (now() - on.endedAt) / 1000 + on.seconds;
  const sync = await must('sync', cli(dir, env, ['sync', '--until-lag', '1', '--json']));
  const w1 = { rows: rowChanges(src), at: now() };
  const synced = JSON.parse(sync.stdout);
  const probe = startProbe(src);
  await sleep(1000);
  const cut = await must('cutover', cli(dir, env, ['cutover']));
  const target = await firstTargetWrite(urlOf(online));
  probe.stop = true;
  await probe.done;
  const writerExit = await Promise.race([writer.exited, sleep(2000).then(() => 'still running')]);
  if (writerExit === 'still running') writer.child.kill('SIGKILL');
  const maxSource = psql(src, 'select max(id) from events');
  return {
    off,
    on,
    sync,
    synced,
    behind,
    writer: { w0, w1, exit: writerExit },
    probe,
    target,
    cut,
    maxSource,
  };
}

/** Seconds from each `cutover: <phase>` line to the next line (the last phase ends at exit). */
function phases(run) {
  const marks = run.lines.filter((l) => l.text.startsWith('cutover: '));
  return marks
    .map((m, i) => {
      const next =
        marks[i + 1]?.at ?? run.lines.find((l) => l.at > m.at && !l.text.startsWith('cutover: '))?.at ?? run.endedAt;
      return `${m.text.slice('cutover: '.length).replace(/ \(.*\)$| up to .*$/, '')} ${((next - m.at) / 1000).toFixed(2)} s`;
    })
    .join(', ');
}

function report(r, seeded) {
  const f = (s, d = 1) => s.toFixed(d);
  const writerRate = (r.writer.w1.rows - r.writer.w0.rows) / ((r.writer.w1.at - r.writer.w0.at) / 1000);
  const catchUpRate = r.synced.counts.rows / r.sync.seconds;
  const fromRefused = (r.target.at - r.probe.firstRefused) / 1000;
  const fromLastOk = (r.target.at - r.probe.lastOk) / 1000;
  const parity = /data: .*/.exec(r.cut.stdout)?.[0] ?? 'no parity line';
  const printed = /downtime ([0-9.]+) s/.exec(r.cut.stdout)?.[1] ?? '?';
  const lines = [
    `online migration bench: pgbench scale ${SCALE} (${SCALE * 100000} accounts), writer -c 2 -R ${RATE} (TPC-B 4:1 an insert into events); source seeded in ${f(seeded)} s`,
    `apply (offline, no writer)       ${f(r.off.seconds)} s`,
    `apply --online (writer running)  ${f(r.on.seconds)} s   ratio online/offline ${f(r.on.seconds / r.off.seconds, 2)}x`,
    `writer: ${f(writerRate)} row changes/s on the source (measured over ${f((r.writer.w1.at - r.writer.w0.at) / 1000)} s)`,
    `catch-up: sync --until-lag 1 replayed ${r.synced.counts.rows} row changes (${r.synced.counts.transactions} transactions, ${f(r.behind)} s of writes behind) in ${f(r.sync.seconds)} s wall: ${f(catchUpRate)} rows/s = ${f(catchUpRate / writerRate, 2)}x the writer's rate; lag at the end ${f(r.synced.last.seconds, 2)} s`,
    `cutover: ${f(r.cut.seconds, 2)} s wall for the command; its own downtime figure ${printed} s (write stop -> ready, target clock); ${parity}`,
    `  phases: ${phases(r.cut)}`,
    `downtime from outside: first refused source write -> first accepted target write ${f(fromRefused, 2)} s (from the last accepted source write ${f(fromLastOk, 2)} s; goal <= 5 s)`,
    `  probe: ${r.probe.writes} source writes accepted, refused with "${(r.probe.refusal || '').split('\n')[0]}"; pgbench exit ${r.writer.exit}`,
    `  target's first write took id ${r.target.id} (source max ${r.maxSource}): sequences ${BigInt(r.target.id) > BigInt(r.maxSource || 0) ? 'past' : 'NOT past'} the source`,
  ];
  lines.forEach((l) => console.log(l));
}

async function main() {
  if (psql(admin, 'show wal_level') !== 'logical') throw new Error('the server needs wal_level = logical (a restart)');
  const tag = randomBytes(4).toString('hex');
  const [source, offline, online] = ['s', 'off', 'on'].map((k) => `sm_benchonl_${k}_${tag}`);
  const dir = mkdtempSync(join(tmpdir(), 'sm-benchonl-'));
  try {
    const seeded = await setUp(dir, source, offline, online);
    report(await measure(dir, source, offline, online), seeded);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    // Nothing of ours may outlive the bench: a leaked slot retains WAL on the shared server.
    psql(
      admin,
      `select pg_drop_replication_slot(slot_name) from pg_replication_slots where database = '${source}' and not active`,
    );
    for (const db of [source, offline, online]) psql(admin, `drop database if exists ${db} with (force)`);
  }
}

main().catch((err) => {
  console.error(err.message);
  process.exitCode = 1;
});

// Runs copyTables from the compiled engine in its own process, so a test can SIGKILL it.
// Prints one JSON line per event on stdout. Arguments come in the environment.
const { copyTables } = require(`${process.env.SM_DIST}/execute/data`);
const { openDb } = require(`${process.env.SM_DIST}/db`);
const tables = JSON.parse(require('fs').readFileSync(process.env.SM_TABLES, 'utf8'));

copyTables({
  connectSource: () => openDb(process.env.SM_SOURCE),
  connectTarget: () => openDb(process.env.SM_TARGET),
  tables,
  batchSize: Number(process.env.SM_BATCH),
  parallel: Number(process.env.SM_PARALLEL ?? 2),
  // A snapshot held by the test outlives the child; without one the child exports its own.
  ...(process.env.SM_SNAPSHOT ? { snapshot: process.env.SM_SNAPSHOT } : {}),
  onEvent: (e) => process.stdout.write(`${JSON.stringify(e)}\n`),
}).then(
  (result) => process.stdout.write(`${JSON.stringify({ type: 'result', ok: result.ok })}\n`),
  (err) => {
    process.stderr.write(`${err.stack}\n`);
    process.exitCode = 1;
  },
);

// Runs `apply` for the storage kill test in its own process, printing every stored object as a
// JSON line so the parent can SIGKILL it mid-transfer.
const { loadSpec } = require('../../dist/spec');
const { applyProject } = require('../../dist/commands/apply');

const spec = loadSpec(process.env.SPEC_FILE, process.env);
applyProject(spec, {
  onStorage: (e) => process.stdout.write(`${JSON.stringify(e)}\n`),
}).then(
  (r) => {
    process.stdout.write(`${JSON.stringify({ type: 'result', ok: r.ok, error: r.error })}\n`);
    process.exit(r.ok ? 0 : 1);
  },
  (err) => {
    process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  },
);

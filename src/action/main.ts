import { consoleOutput } from '../render/output';
import { closeNamedPglite } from '../db';
import { describeError } from '../errors';
import { runAction } from './run';

/** Entry point of action.yml: `node dist/action/main.js` in the workflow's job. */
async function main(): Promise<number> {
  try {
    return await runAction(process.env, consoleOutput);
  } catch (err) {
    consoleOutput.error(`error: ${describeError(err)}`);
    return 1;
  } finally {
    await closeNamedPglite();
  }
}

if (require.main === module) void main().then((code) => (process.exitCode = code));

import { execFileSync, spawn } from 'child_process';
import { join } from 'path';

/** The copy engine in a process of its own (copy-child.js), so a test can SIGKILL it. */

export const ROOT = join(__dirname, '..', '..', '..');

/** Compiles only the engine's import closure into a scratch folder, leaving the shared dist alone. */
export function compileEngine(outDir: string): void {
  const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
  const flags = ['--outDir', outDir, '--rootDir', join(ROOT, 'src'), '--target', 'ES2022', '--module', 'commonjs', '--moduleResolution', 'node',
    '--esModuleInterop', '--skipLibCheck', '--resolveJsonModule', '--types', 'node', '--strict'];
  execFileSync(tsc, [...flags, join(ROOT, 'src/execute/data/index.ts'), join(ROOT, 'src/db/index.ts')], { stdio: 'pipe' });
}

export interface ChildRun {
  chunksSeen: number;
  finished: boolean;
  events: { type: string; table?: string }[];
}

/** Starts the child and SIGKILLs it once it reports `killAfter` committed chunks, or `killAfterMs` after its first. */
export function runChild(env: NodeJS.ProcessEnv, killAfter: number | null, killAfterMs: number | null): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'copy-child.js')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const state: ChildRun = { chunksSeen: 0, finished: false, events: [] };
    let buffered = '';
    let stderr = '';
    // A timed kill counts from the first commit, so every run makes progress however slow the start.
    let timer: NodeJS.Timeout | null = null;
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdout.on('data', (b: Buffer) => {
      buffered += b.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const e = JSON.parse(line) as { type: string; ok?: boolean; table?: string };
        state.events.push(e);
        if (e.type === 'chunk-done') state.chunksSeen += 1;
        if (e.type === 'chunk-done' && killAfterMs !== null && !timer) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        if (e.type === 'result') state.finished = e.ok === true;
        if (killAfter !== null && state.chunksSeen >= killAfter) child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`child failed (${code}): ${stderr}`));
      else resolve(state);
    });
  });
}


import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { UserError } from '../../src/errors';
import { loadSpec, SpecError } from '../../src/spec';

/**
 * Every file in corpus/ is a broken spec whose first lines say what the loader must report:
 * `# expect: <text>` (in the problem's line or fix), `# at: LINE:COL`, optional `# env: NAME=value`.
 */
interface Expectation {
  file: string;
  expect: string;
  at: string;
  env: Record<string, string>;
}

const folder = join(__dirname, 'corpus');

function readExpectation(name: string): Expectation {
  const header = readFileSync(join(folder, name), 'utf8').split('\n').slice(0, 3);
  const value = (tag: string) => header.find((line) => line.startsWith(`# ${tag}: `))?.slice(tag.length + 4);
  const env = Object.fromEntries(
    header
      .filter((line) => line.startsWith('# env: '))
      .map((line) => line.slice('# env: '.length).split(/=(.*)/s).slice(0, 2)),
  );
  const expect = value('expect');
  const at = value('at');
  if (!expect || !at) throw new Error(`${name}: needs "# expect:" and "# at:" lines`);
  return { file: join(folder, name), expect, at, env };
}

const corpus = readdirSync(folder)
  .filter((name) => /^\d\d-[a-z0-9-]+\.yaml$/.test(name))
  .sort()
  .map(readExpectation);

test('the corpus holds at least 30 broken specs', () => {
  expect(corpus.length).toBeGreaterThanOrEqual(30);
});

describe.each(corpus)('$file', ({ file, expect: expected, at, env }) => {
  function failure(): SpecError {
    try {
      loadSpec(file, env);
    } catch (err) {
      return err as SpecError;
    }
    throw new Error('the spec was accepted');
  }

  test('is refused as a user error (exit code 2) with the expected problem at its line:col', () => {
    const err = failure();
    expect(err).toBeInstanceOf(UserError);
    expect(err).toBeInstanceOf(SpecError);
    expect(err.exitCode).toBe(2);
    const [line, col] = at.split(':').map(Number);
    const here = err.problems.filter((p) => p.line === line && p.col === col);
    const rendered = here.map((p) => `${p.path}: ${p.message}\n  fix: ${p.fix}`).join('\n');
    expect({ at, rendered }).toEqual({ at, rendered: expect.stringContaining(expected) });
    expect(err.message).toContain(`${file.split('/').pop()}:${at}`);
  });

  test('alternates problem lines and fix lines, each problem naming the file and position', () => {
    const label = failure().fileLabel.replace(/[.]/g, '\\.');
    const lines = failure().message.split('\n');
    lines.forEach((line, index) => {
      expect(line).toMatch(index % 2 === 0 ? new RegExp(`^${label}:\\d+:\\d+( [^:]+)?: .+`) : /^ {2}fix: .+/);
    });
  });

  test('never shows a password', () => {
    expect(failure().message).not.toMatch(/s3cr3t/);
  });

  test('says how to fix every problem', () => {
    for (const problem of failure().problems) expect(problem.fix.length).toBeGreaterThan(10);
  });
});

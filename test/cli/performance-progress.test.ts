import { PerformanceProgress } from '../../src/cli/performance-progress';
import type { Output } from '../../src/render/output';

const capture = () => {
  const lines: string[] = [];
  const out: Output = {
    line: (t = '') => lines.push(t),
    error: (t) => lines.push(`E ${t}`),
    json: (v) => lines.push(JSON.stringify(v)),
  };
  return { out, lines };
};

describe('validate --performance progress', () => {
  it('prints one plain line per query when stdout is not a terminal', async () => {
    const { out, lines } = capture();
    const p = new PerformanceProgress('lines', out);
    p.onProgress(0, 2);
    p.onProgress(1, 2, 'public.tasks.list as authenticated');
    p.onProgress(2, 2, 'public.tasks.get as authenticated');
    await p.settle();
    expect(lines).toEqual([
      '       perf     1/2 public.tasks.list as authenticated',
      '       perf     2/2 public.tasks.get as authenticated',
    ]);
  });

  it('prints nothing with --json', async () => {
    const { out, lines } = capture();
    const p = new PerformanceProgress('json', out);
    p.onProgress(0, 1);
    p.onProgress(1, 1, 'q');
    await p.settle();
    expect(lines).toEqual([]);
  });

  it('draws one listr2 task on a terminal, its title counting the queries, and ends it at the last', async () => {
    const { out, lines } = capture();
    let clock = 0;
    const p = new PerformanceProgress('tty', out, () => clock);
    const written: string[] = [];
    const writes = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      p.onProgress(0, 3);
      for (let i = 1; i <= 3; i++) {
        clock += 2000;
        p.onProgress(i, 3, `q${i}`);
        await new Promise((r) => setTimeout(r, 150));
      }
      await p.settle();
    } finally {
      writes.mockRestore();
    }
    expect(lines).toEqual([]);
    // eslint-disable-next-line no-control-regex -- the terminal's colour and cursor codes
    const frames = written.join('').replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
    expect(frames).toContain('performance: 3/3 queries, last q3 (6s)');
  });

  it('settles when the run stops before the last query', async () => {
    const p = new PerformanceProgress('tty', capture().out);
    const writes = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      p.onProgress(0, 5);
      p.onProgress(1, 5, 'q1');
      await p.settle();
    } finally {
      writes.mockRestore();
    }
  });
});

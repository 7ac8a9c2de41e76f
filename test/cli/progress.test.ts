import { DataProgress, progressMode } from '../../src/cli/progress';
import type { Output } from '../../src/render/output';
import type { DataEvent } from '../../src/execute/data';

const capture = () => {
  const lines: string[] = [];
  const out: Output = { line: (t = '') => lines.push(t), error: (t) => lines.push(`E ${t}`), json: (v) => lines.push(JSON.stringify(v)) };
  return { out, lines };
};

describe('data progress', () => {
  it('chooses a task list only on a terminal without --json', () => {
    const ci = process.env.CI;
    delete process.env.CI;
    try {
      expect([progressMode(false, true), progressMode(false, false), progressMode(true, true), progressMode(true, false)]).toEqual(['tty', 'lines', 'json', 'json']);
    } finally {
      if (ci !== undefined) process.env.CI = ci;
    }
  });

  it('prints one line per event with rows, rows/s and ETA from the clock', () => {
    let now = 1_000_000;
    const { out, lines } = capture();
    const p = new DataProgress('lines', out, () => now);
    const events: [number, DataEvent][] = [
      [0, { type: 'load-start', tables: [{ table: 'data:public.big', estimatedRows: 400_000 }, { table: 'data:public.small', estimatedRows: 3 }] }],
      [0, { type: 'table-start', table: 'data:public.big', chunks: 4, skipped: 1, skippedRows: 100_000 }],
      [2000, { type: 'chunk-done', table: 'data:public.big', chunk: 1, rows: 100_000 }],
      [500, { type: 'chunk-retry', table: 'data:public.big', chunk: 2, attempt: 1, error: 'terminating connection' }],
      [1500, { type: 'chunk-done', table: 'data:public.big', chunk: 2, rows: 100_000 }],
      [0, { type: 'table-start', table: 'data:public.small', chunks: null, skipped: 0, skippedRows: 0 }],
      [1000, { type: 'table-done', table: 'data:public.small', status: 'failed', rows: 0 }],
    ];
    for (const [dt, e] of events) {
      now += dt;
      p.onEvent(e);
    }
    expect(lines).toEqual([
      '       data     2 table(s), ~400,003 rows',
      '       load     data:public.big (4 chunks, 1 already loaded)',
      // 100,000 rows in 2 s; 200,000 of the 400,000 left at 50,000 rows/s.
      '       chunk    data:public.big #1: 100,000 rows; 200,000/~400,000 rows, 50,000 rows/s, ETA 4s, 100,000 from an earlier run',
      '       retry    data:public.big chunk 2 (attempt 1): terminating connection',
      '       chunk    data:public.big #2: 100,000 rows; 300,000/~400,000 rows, 50,000 rows/s, ETA 2s, 100,000 from an earlier run',
      '       load     data:public.small',
      '       FAILED   data:public.small: 0 rows',
    ]);
  });

  it('with --json writes each event as a JSON line on stderr and nothing on stdout', () => {
    const { out, lines } = capture();
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      written.push(String(s));
      return true;
    });
    try {
      const p = new DataProgress('json', out);
      p.onEvent({ type: 'chunk-done', table: 'data:public.t', chunk: 0, rows: 5 });
    } finally {
      spy.mockRestore();
    }
    expect(lines).toEqual([]);
    expect(written.map((w) => JSON.parse(w))).toEqual([{ type: 'chunk-done', table: 'data:public.t', chunk: 0, rows: 5 }]);
  });

  it('holds other output back while the terminal task list is drawn, then prints it below', async () => {
    const { out, lines } = capture();
    const p = new DataProgress('tty', out);
    const writes = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      p.onEvent({ type: 'load-start', tables: [{ table: 'data:public.t', estimatedRows: 10 }] });
      p.onEvent({ type: 'table-start', table: 'data:public.t', chunks: 1, skipped: 0, skippedRows: 0 });
      p.print('[1/2] executed data:public.t');
      expect(lines).toEqual([]);
      p.onEvent({ type: 'chunk-done', table: 'data:public.t', chunk: 0, rows: 10 });
      p.onEvent({ type: 'table-done', table: 'data:public.t', status: 'completed', rows: 10 });
      await p.settle();
    } finally {
      writes.mockRestore();
    }
    expect(lines).toEqual(['[1/2] executed data:public.t']);
  });
});

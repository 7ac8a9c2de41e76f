import { estimateDuration } from '../../src/analyze/estimate';
import { UserError } from '../../src/errors';
import { column, id, index, snapshot, table } from './builder';

const MIB = 1024 ** 2;

describe('estimateDuration', () => {
  const s = snapshot({
    tables: [
      table('public.big', [id(), column('body', 'text')], {
        sizeBytes: 5000 * MIB, estimatedRows: 1_000_000, indexes: [index('big_body', ['body'])],
      }),
      table('public.many', [id()], { sizeBytes: 10 * MIB, estimatedRows: 30_000_000 }),
    ],
  });

  it('adds DDL, copy bound by the slower of bytes and rows, and index builds', () => {
    const e = estimateDuration(s);
    // 2 tables + 2 pk constraints + 2 indexes + 1 schema = 7 objects at 1000/s -> 0.007 s -> 0 (tenths).
    // copy: max(5010 MiB / 100 MiB/s = 50.1 s, 31M rows / 500k rows/s = 62 s) -> 62 s.
    // index: big_body reads 5000 MiB at 100 MiB/s -> 50 s. Plus 1 s that every apply pays.
    expect(e.breakdown).toEqual({ ddlSeconds: 0, copySeconds: 62, indexSeconds: 50 });
    expect(e.seconds).toBe(113);
    expect(e.assumptions[1]).toBe('COPY: 100 MiB/s or 500,000 rows/s, whichever is slower (5,253,365,760 bytes, 31,000,000 rows)');
  });

  it('uses the given row throughput', () => {
    // 31 s by rows; bytes take longer: 5010 MiB at 100 MiB/s.
    expect(estimateDuration(s, 1_000_000).breakdown.copySeconds).toBe(50.1);
  });

  it('refuses a throughput that is not positive', () => {
    expect(() => estimateDuration(s, 0)).toThrow(UserError);
    expect(() => estimateDuration(s, Number.NaN)).toThrow(/positive/);
  });

  it('costs an empty database only what every apply pays', () => {
    expect(estimateDuration(snapshot()).seconds).toBe(1);
  });
});

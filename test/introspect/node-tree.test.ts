import { openDb } from '../../src/db';
import { targetOrigins } from '../../src/introspect/node-tree';

// Shaped like pg_rewrite.ev_action of `select t.id, t.name as label, 1 as one, (select x from s) from t`
// (fields trimmed): a subquery's and a sublink's target lists sit deeper and must not count.
const TREE =
  '({QUERY :commandType 1 :cteList <> :rtable ({RANGETBLENTRY :subquery {QUERY :targetList ' +
  '({TARGETENTRY :expr {VAR :varno 1} :resno 1 :resname x :resorigtbl 777 :resorigcol 9 :resjunk false})} ' +
  ':eref {ALIAS :aliasname a\\ b :colnames ("id" "we\\"ird")}}) :jointree {FROMEXPR :fromlist <>} :targetList ' +
  '({TARGETENTRY :expr {VAR :varno 1 :varattno 1} :resno 1 :resname id :resorigtbl 16384 :resorigcol 1 :resjunk false} ' +
  '{TARGETENTRY :expr {VAR :varno 1 :varattno 2} :resno 2 :resname label :resorigtbl 16384 :resorigcol 2 :resjunk false} ' +
  '{TARGETENTRY :expr {CONST :constvalue 4 [ 1 0 0 0 ]} :resno 3 :resname one :resorigtbl 0 :resorigcol 0 :resjunk false} ' +
  '{TARGETENTRY :expr {SUBLINK :subselect {QUERY :targetList ({TARGETENTRY :resno 1 :resorigtbl 555 :resorigcol 3})}} ' +
  ':resno 4 :resname x :resorigtbl 0 :resorigcol 0 :resjunk false} ' +
  '{TARGETENTRY :expr {VAR :varno 1} :resno 5 :resname ctid :resorigtbl 16384 :resorigcol -1 :resjunk true}) ' +
  ':havingQual <> :setOperations <>})';

describe('targetOrigins', () => {
  it('reads the origin Postgres recorded for each column of the top-level query only', () => {
    expect(targetOrigins(TREE)).toEqual([
      { resno: 1, relid: '16384', attnum: 1 },
      { resno: 2, relid: '16384', attnum: 2 },
    ]);
  });

  it('gives nothing for an empty target list', () => {
    expect(targetOrigins('({QUERY :commandType 1 :targetList <> :havingQual <>})')).toEqual([]);
  });

  it('reads a column whose name starts with a bracket or a space (printed with a leading backslash)', async () => {
    const db = await openDb('pglite://memory');
    try {
      await db.exec(`create table t (a int, b int, c int);
        create view v as select a as "(x", b as "{y", c as " z" from t;`);
      const { rows } = await db.query<{ tree: string; relid: string }>(
        `select ev_action::text as tree, 't'::regclass::oid::text as relid from pg_rewrite where ev_class = 'v'::regclass`,
      );
      expect(rows[0].tree).toContain(':resname \\(x');
      expect(targetOrigins(rows[0].tree)).toEqual([1, 2, 3].map((n) => ({ resno: n, relid: rows[0].relid, attnum: n })));
    } finally {
      await db.close();
    }
  });
});

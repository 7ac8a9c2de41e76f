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
});

import { analyze } from '../../../src/analyze';
import { renderAnalysis } from '../../../src/cli/render/analysis';
import { small } from '../../analyze/small';

const EXPECTED = `Summary
  schemas                        1
  tables                         3
  columns                        9
  views                          0
  materialized views             0
  functions                      0
  triggers                       0
  sequences                      0
  enums                          0
  domains                        0
  policies                       0
  extensions                     0
  estimated rows             6,200
  total size               1.3 MiB

Relationships (1 foreign key)
  public.notes  (user_id)  ->  public.users (id)
  isolated tables: public.audit_log
  cycles: none
  load order:
     1.  public.audit_log
     2.  public.users
     3.  public.notes

Patterns
  kind              table         columns                 confidence  evidence
  audit-timestamps  public.notes  created_at, updated_at  medium      created_at and updated_at; no trigger maintains updated_at
  file-path         public.users  avatar_url              high        text column avatar_url looks like a file reference
  json-not-jsonb    public.notes  body                    high        body json: json keeps the text as written; jsonb is indexable and what Supabase APIs expect
  owner             public.notes  user_id                 high        user_id -> public.users
  users-table       public.users  email                   high        table named users with column email

Complexity: 3.25 points, tier simple
  input                     value  weight  points
  tables                    3      x 1     3
  extra schemas             0      x 5     0
  functions and procedures  0      x 1     0
  triggers                  0      x 0.5   0
  foreign keys              1      x 0.25  0.25
  foreign key cycles        0      x 5     0
  tenant pattern            0      x 15    0
  embedding columns         0      x 5     0
  partitioned tables        0      x 5     0
  custom types              0      x 1     0
  data size (GiB)           0      x 0.5   0

Risks
  [medium] no-primary-key: public.audit_log
      why: without a primary key rows cannot be copied in resumable chunks, compared after the move, or published to realtime for updates and deletes
      fix: add a primary key (an identity column if nothing is unique), or accept a whole-table copy and set replica identity full
  [medium] public-users-table: public.users
      why: Supabase keeps accounts in auth.users; a public.users table invites confusion and duplicated credentials
      fix: import the accounts into auth.users and keep the other columns in public.profiles (id references auth.users.id), or rename the table to profiles
  [low] json-column: public.notes.body
      why: json is stored as text: no indexing, no containment operators, duplicate keys kept
      fix: set schema.type_mappings.json: jsonb (key order and duplicate keys are not preserved)

Sensitive columns
  none found

Estimated duration: 1 s (DDL 0 s, copy 0 s, indexes 0 s)
  - DDL: 1 s per 1,000 objects (9 objects)
  - COPY: 100 MiB/s or 500,000 rows/s, whichever is slower (1,310,720 bytes, 6,200 rows)
  - indexes: each secondary index reads its table once at 100 MiB/s after the load
  - one table at a time; parallel copies shorten the COPY part on a target with spare cores
  - 1 s for what every apply does (connections, lock, phase checks), on a network close to the server
`;

describe('renderAnalysis', () => {
  it('renders the small snapshot exactly', () => {
    expect(renderAnalysis(analyze(small()))).toBe(EXPECTED);
  });

  it('says so when there is nothing to report', () => {
    const text = renderAnalysis(analyze({ ...small(), tables: [] }));
    expect(text).toContain('Patterns\n  none detected\n');
    expect(text).toContain('Risks\n  none found\n');
    expect(text).toContain('Relationships (0 foreign keys)\n  isolated tables: none\n  cycles: none\n');
  });
});

describe('analyze reports sensitive columns on their own line', () => {
  it('lists the columns whose names look like secrets, by table', () => {
    const s = small();
    const users = s.tables.find((t) => t.name === 'users');
    if (!users) throw new Error('small() has no users table');
    const extra = ['password_hash', 'api_key', 'nickname'].map((name) => ({ ...users.columns[1], name }));
    const a = analyze({ ...s, tables: s.tables.map((t) => (t === users ? { ...t, columns: [...t.columns, ...extra] } : t)) });
    expect(a.sensitive).toEqual(['public.users: password_hash, api_key']);
    expect(renderAnalysis(a)).toContain('Sensitive columns\n  (names that look like secrets: the plan never grants them to anon or authenticated)\n  public.users: password_hash, api_key\n');
  });
});

import { buildNameMap } from '../../../src/plan/schema';
import {
  eventTriggerStep, foreignTableStep, publicationStep, serverStep,
} from '../../../src/plan/schema/foreign-publications';
import { emptySnapshot } from '../../helpers/snapshot';

const names = buildNameMap(emptySnapshot(), { renameSchemas: { app: 'app2' } });

describe('serverStep', () => {
  it('creates a server with type, version, options and comment', () => {
    const s = serverStep({
      name: 'remote', wrapper: 'postgres_fdw', wrapperExtension: 'postgres_fdw', type: 'pg', version: '15',
      options: ["host 'db.example'", "dbname 'app'"], userMappings: [], comment: 'the old one',
    });
    expect([s.id, s.phase, s.kind]).toEqual(['server:remote', 'pre-data', 'server']);
    expect(s.sql).toEqual([
      'create server "remote" type \'pg\' version \'15\' foreign data wrapper "postgres_fdw"'
        + " options (host 'db.example', dbname 'app');",
      'comment on server "remote" is \'the old one\';',
      '',
    ].join('\n'));
    expect(s.down).toEqual('drop server "remote";\n');
  });

  it('writes a bare server without type, version or options', () => {
    const s = serverStep({
      name: 'bare', wrapper: 'my_fdw', wrapperExtension: null, type: null, version: null,
      options: [], userMappings: [], comment: null,
    });
    expect(s.sql).toEqual('create server "bare" foreign data wrapper "my_fdw";\n');
  });
});

describe('foreignTableStep', () => {
  it('creates a foreign table with column and table options in the renamed schema', () => {
    const s = foreignTableStep({
      schema: 'app', name: 'remote_users', server: 'remote', comment: null,
      columns: [
        { name: 'id', type: 'integer', notNull: true, options: [] },
        { name: 'kind', type: 'app.kind', notNull: false, options: ["column_name 'type'"] },
      ],
      options: ["schema_name 'public'", "table_name 'users'"],
    }, names);
    expect([s.id, s.phase, s.kind]).toEqual(['foreign-table:app2.remote_users', 'pre-data', 'foreign-table']);
    expect(s.sql).toEqual([
      'create foreign table "app2"."remote_users" (',
      '  "id" integer not null,',
      '  "kind" app2.kind options (column_name \'type\')',
      ') server "remote" options (schema_name \'public\', table_name \'users\');',
      '',
    ].join('\n'));
    expect(s.down).toEqual('drop foreign table "app2"."remote_users";\n');
  });
});

describe('publicationStep', () => {
  it('publishes listed tables with column lists and row filters, via the partition root', () => {
    const s = publicationStep({
      name: 'feed', allTables: false, schemas: [], actions: ['insert', 'update'], viaRoot: true, comment: 'cdc',
      tables: [
        { table: 'app.orders', columns: ['id', 'Total'], where: '(total > 0)' },
        { table: 'public."Events"', columns: null, where: null },
      ],
    }, names);
    expect([s.id, s.phase, s.kind]).toEqual(['publication:feed', 'post-data', 'publication']);
    expect(s.sql).toEqual([
      'create publication "feed" for table "app2"."orders" ("id", "Total") where ((total > 0)), '
        + 'table "public"."Events" with (publish = \'insert, update\', publish_via_partition_root = true);',
      'comment on publication "feed" is \'cdc\';',
      '',
    ].join('\n'));
    expect(s.down).toEqual('drop publication "feed";\n');
  });

  it('creates an empty publication when no table is listed', () => {
    const s = publicationStep({
      name: 'later', allTables: false, schemas: [], tables: [], actions: ['insert'], viaRoot: false, comment: null,
    }, names);
    expect(s.sql).toEqual('create publication "later" with (publish = \'insert\');\n');
  });
});

describe('eventTriggerStep', () => {
  it('creates an event trigger with its tags, keeps it disabled, and drops it', () => {
    const s = eventTriggerStep({
      name: 'audit_ddl', event: 'ddl_command_end', tags: ['CREATE TABLE', 'ALTER TABLE'],
      function: 'app.audit()', procedure: 'app.audit', enabled: 'D', comment: null,
    }, names);
    expect([s.id, s.phase, s.kind]).toEqual(['event-trigger:audit_ddl', 'post-data', 'event-trigger']);
    expect(s.sql).toEqual([
      'create event trigger "audit_ddl" on "ddl_command_end" when tag in (\'CREATE TABLE\', \'ALTER TABLE\') '
        + 'execute function app2.audit();',
      'alter event trigger "audit_ddl" disable;',
      '',
    ].join('\n'));
    expect(s.down).toEqual('drop event trigger "audit_ddl";\n');
  });

  it('creates an enabled event trigger for every command with its comment', () => {
    const s = eventTriggerStep({
      name: 'watch', event: 'sql_drop', tags: [], function: 'app.w()', procedure: 'app.w', enabled: 'O', comment: 'x',
    }, names);
    expect(s.sql).toEqual([
      'create event trigger "watch" on "sql_drop" execute function app2.w();',
      'comment on event trigger "watch" is \'x\';',
      '',
    ].join('\n'));
  });
});

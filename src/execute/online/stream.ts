import type { Db } from '../../db';
import { UserError } from '../../errors';
import type { TableCopy } from '../../plan/data/types';
import { columnDrift, deleteSql, insertSql, type Statement, truncateSql, type Tuple, updateSql } from './change-sql';
import { type Pgoutput, replicationService, textPgoutput } from './pgoutput';
import { ensureLagColumn, recordInSync } from './lag';
import { lsnCompare, lsnMax } from './state';

export interface ChangeStreamOptions {
  sourceUrl: string;
  /** A connection of its own: the stream keeps a transaction open on it between commits. */
  target: Db;
  slot: string;
  publication: string;
  /** Everything before it is already on the target. */
  appliedLsn: string;
  copies: TableCopy[];
  /** Per table id: the LSN of the snapshot its rows were copied in; earlier commits are in the copy. */
  copyLsn: Map<string, string>;
}

export interface StreamCounts {
  transactions: number;
  rows: number;
}

const BATCH_STATEMENTS = 2500;
const BATCH_MS = 200;

/**
 * Applies the slot's changes to the target: each batch of source transactions in one target
 * transaction that also records the LSN it reached, and only then acknowledged to the source.
 * A kill loses at most the open batch, which the source sends again; transactions at or below
 * the recorded LSN are skipped, so none is applied twice.
 */
export class ChangeStream {
  /** Everything the source wrote before this LSN is on the target (or was not ours). */
  position: string;
  readonly counts: StreamCounts = { transactions: 0, rows: 0 };
  private failed: Error | null = null;
  private stopped = false;
  private chain: Promise<void> = Promise.resolve();
  private readonly service: ReturnType<typeof replicationService>;
  private readonly relations = new Map<number, { copy: TableCopy; keys: string[] } | null>();
  private readonly bySource: Map<string, TableCopy>;
  private tx: { finalLsn: string; skip: boolean } | null = null;
  private batch: { openedAt: number; endLsn: string | null; statements: number; commitMs?: number } | null = null;
  /** The source instant the target is complete as of (ms), and the last one recorded. */
  private inSyncAsOf = 0;
  private inSyncRecorded = 0;
  private timer: NodeJS.Timeout | null = null;
  private persisted: string;

  constructor(private readonly o: ChangeStreamOptions) {
    this.position = o.appliedLsn;
    this.service = replicationService(o.sourceUrl);
    this.persisted = o.appliedLsn;
    this.bySource = new Map(o.copies.map((c) => [`${c.source.schema}.${c.source.table}`, c]));
  }

  async start(): Promise<void> {
    // Triggers and FK checks off, as the copy does; a target role not allowed to (not superuser) keeps them.
    await this.o.target.exec('set session_replication_role = replica').catch(() => undefined);
    await ensureLagColumn(this.o.target);
    this.service.on('data', (_lsn: string, m: Pgoutput.Message) => this.serial(() => this.handle(m)));
    this.service.on('heartbeat', (lsn: string, _t: number, reply: boolean) =>
      this.serial(() => this.keepalive(lsn, reply)),
    );
    this.service.on('error', (err: Error) => this.fail(err));
    this.service
      .subscribe(
        textPgoutput({ protoVersion: 1, publicationNames: [this.o.publication] }),
        this.o.slot,
        this.o.appliedLsn,
      )
      .catch((err: Error) => this.fail(err));
    this.timer = setInterval(() => this.serial(() => this.tick()), BATCH_MS);
  }

  /** Resolves once everything before `lsn` is on the target; rejects when the stream failed. */
  async waitFor(lsn: string, timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (lsnCompare(this.position, lsn) < 0) {
      if (this.failed) throw this.failed;
      if (Date.now() > until)
        throw new Error(
          `the target did not reach ${lsn} within ${Math.round(timeoutMs / 1000)} s (at ${this.position})`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
    if (this.failed) throw this.failed;
  }

  get error(): Error | null {
    return this.failed;
  }

  async stop(): Promise<void> {
    // Handlers queued from here on must not run: after the rollback below, a statement would
    // autocommit outside any batch, and the source would send its transaction again.
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.chain;
    if (this.batch) await this.o.target.exec('rollback').catch(() => undefined);
    this.batch = null;
    await this.service.stop().catch(() => undefined);
  }

  private serial(fn: () => Promise<void>): Promise<void> {
    this.chain = this.chain
      .then(() => (this.failed || this.stopped ? undefined : fn()))
      .catch((err: Error) => this.fail(err));
    return this.chain;
  }

  private fail(err: Error): void {
    this.failed ??= err;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async handle(m: Pgoutput.Message): Promise<void> {
    switch (m.tag) {
      case 'begin':
        this.tx = { finalLsn: m.commitLsn!, skip: lsnCompare(m.commitLsn!, this.position) < 0 };
        return;
      case 'relation':
        return this.relation(m);
      case 'insert':
        return this.change(m.relation, (c) => insertSql(c, m.new as Tuple));
      case 'update':
        return this.change(m.relation, (c, keys) =>
          updateSql(c, keys, (m.key ?? m.old) as Tuple | null, m.new as Tuple),
        );
      case 'delete':
        return this.change(m.relation, (c, keys) => deleteSql(c, keys, (m.key ?? m.old) as Tuple));
      case 'truncate':
        return this.truncate(m);
      case 'commit':
        return this.commit(m);
      default:
        return;
    }
  }

  private async relation(m: Pgoutput.MessageRelation): Promise<void> {
    const copy = this.bySource.get(`${m.schema}.${m.name}`);
    if (copy) {
      const drift = columnDrift(
        copy,
        m.columns.map((c) => c.name),
      );
      if (drift.added.length > 0 || drift.dropped.length > 0) {
        const what = [...drift.added.map((c) => `added ${c}`), ...drift.dropped.map((c) => `dropped ${c}`)].join(', ');
        throw new UserError(
          `the source table ${m.schema}.${m.name} changed during sync (${what}); logical replication does not carry DDL`,
          'make the same change on the target (spec, plan, apply), then run `supamigrate sync` again: it resumes there',
        );
      }
    }
    this.relations.set(m.relationOid, copy ? { copy, keys: m.keyColumns } : null);
  }

  private async change(
    rel: Pgoutput.MessageRelation,
    build: (c: TableCopy, keys: string[]) => Statement,
  ): Promise<void> {
    const known = this.relations.get(rel.relationOid);
    if (!this.tx || this.tx.skip || !known) return;
    const copied = this.o.copyLsn.get(known.copy.id);
    if (copied && lsnCompare(this.tx.finalLsn, copied) < 0) return;
    await this.run(build(known.copy, known.keys));
  }

  private async truncate(m: Pgoutput.MessageTruncate): Promise<void> {
    if (!this.tx || this.tx.skip) return;
    const copies = m.relations
      .map((r) => this.relations.get(r.relationOid)?.copy)
      .filter((c): c is TableCopy => Boolean(c));
    if (copies.length > 0) await this.run(truncateSql(copies));
  }

  /** Runs the statement in the open batch (opening one), in the source's order. */
  private async run(s: Statement): Promise<void> {
    if (!this.batch) {
      await this.o.target.exec('begin');
      this.batch = { openedAt: Date.now(), endLsn: null, statements: 0 };
    }
    await this.o.target.query(s.sql, s.params);
    this.batch.statements++;
    this.counts.rows++;
  }

  private async commit(m: Pgoutput.MessageCommit): Promise<void> {
    const tx = this.tx;
    this.tx = null;
    if (!tx || tx.skip) return;
    this.counts.transactions++;
    if (!this.batch) {
      // Nothing of ours in it (or only tables copied after it): the position still moves on.
      this.position = lsnMax(this.position, m.commitEndLsn)!;
      return;
    }
    this.batch.endLsn = m.commitEndLsn;
    this.batch.commitMs = Number(BigInt(m.commitTime as bigint) / 1000n);
    if (this.batch.statements >= BATCH_STATEMENTS || Date.now() - this.batch.openedAt >= BATCH_MS) await this.flush();
  }

  private async flush(): Promise<void> {
    const batch = this.batch;
    if (!batch || this.tx) return;
    const end = lsnMax(batch.endLsn, this.position)!;
    await this.o.target.query('update supamigrate.online_sync set applied_lsn = $1', [end]);
    if (batch.commitMs) await recordInSync(this.o.target, batch.commitMs);
    await this.o.target.exec('commit');
    this.inSyncAsOf = Math.max(this.inSyncAsOf, batch.commitMs ?? 0);
    this.inSyncRecorded = Math.max(this.inSyncRecorded, batch.commitMs ?? 0);
    this.batch = null;
    this.position = end;
    this.persisted = end;
    await this.service.acknowledge(end);
  }

  private async keepalive(lsn: string, reply: boolean): Promise<void> {
    // Every change before a keepalive was sent before it, and was handled before this runs.
    if (!this.tx && !this.batch) {
      this.position = lsnMax(this.position, lsn)!;
      // Nothing pending up to the source's WAL end at the keepalive: the target is complete as of now.
      this.inSyncAsOf = Date.now();
    }
    if (reply) await this.service.acknowledge(this.batch ? this.persisted : this.position);
  }

  private async tick(): Promise<void> {
    if (this.batch && !this.tx) await this.flush();
    if (!this.batch && lsnCompare(this.position, this.persisted) > 0) {
      await this.o.target.query('update supamigrate.online_sync set applied_lsn = $1', [this.position]);
      this.persisted = this.position;
    }
    if (!this.batch && this.inSyncAsOf > this.inSyncRecorded) {
      await recordInSync(this.o.target, this.inSyncAsOf);
      this.inSyncRecorded = this.inSyncAsOf;
    }
    // Asks for a keepalive, whose LSN moves the position on while the source writes elsewhere.
    await this.service.acknowledge(this.persisted, true);
  }
}

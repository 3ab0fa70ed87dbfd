import { createHash } from 'node:crypto';
import type { ChangeInput, ChangesResult, Conflict, PutStateResult } from '@crm/contracts';
import { type EventSource, IdempotencyKeyReusedError } from '@crm/events';
import {
  type ApplyChanges,
  type ChangeOp,
  type DecideContext,
  type Decision,
  decideAddField,
  decideChanges,
  decideCreateTable,
  decideDeleteView,
  decideRemoveField,
  decideRenameField,
  decideRetypeField,
  decideSaveView,
  planDocument,
  type BaseDocument,
  type PlannedCommand,
  DomainError,
} from '@crm/domain';
import type { Statement } from 'better-sqlite3';
import { type Actor } from '../../infrastructure/request-context/actor';
import { type Clock, newEventId, newId } from '../../infrastructure/clock';
import { type UnitOfWork } from '../../infrastructure/database/unit-of-work';
import { type SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { type FundraisingRepository } from './fundraising.repository';

export interface CommandMeta {
  actor: Actor;
  source: EventSource;
  correlation_id?: string;
  causation_id?: string | null;
}

const RECORD_ID = /^rec[0-9A-Za-z]{14}$/;

/**
 * A client's key is its sender's own: stored under the actor's id, so that another user replaying it
 * is judged as a request of their own. Client keys cannot hold '/', so the two parts never blur.
 */
const scopedKey = (actorId: string, key: string) => `${actorId}/${key}`;

/**
 * Command handlers of the fundraising base. Each loads state, calls a pure decider, appends with the
 * expected versions and returns the new log position; none holds a business rule of its own.
 */
export class FundraisingCommands {
  private readonly findKey: Statement;
  private readonly saveKey: Statement;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly store: SqliteEventStore,
    private readonly repo: FundraisingRepository,
    private readonly clock: Clock,
  ) {
    this.findKey = repo.db.prepare(
      'SELECT fingerprint, response FROM idempotency_keys WHERE key = ?',
    );
    this.saveKey = repo.db.prepare(
      'INSERT INTO idempotency_keys (key, fingerprint, response, position, created_at) VALUES (?, ?, ?, ?, ?)',
    );
  }

  readonly ctx: DecideContext = {
    table: (id) => this.repo.table(id),
    tables: () => this.repo.tables(),
    record: (id) => this.repo.record(id),
    recordsOf: (tableId) => this.repo.recordsOf(tableId),
    recordSample: (tableId, size) => this.repo.recordSample(tableId, size),
    view: (id) => this.repo.view(id),
    viewIds: () => this.repo.viewIds(),
  };

  /** Runs a decision in one transaction and appends its events; returns the log head after it. */
  execute(
    meta: CommandMeta,
    decide: (ctx: DecideContext, at: string) => Decision,
  ): { version: number; decision: Decision } {
    return this.uow.run(() => {
      const at = this.clock.now();
      const decision = decide(this.ctx, at);
      this.append(decision, meta, at);
      return { version: this.store.lastPosition(), decision };
    });
  }

  /** The grid's batch: creates, compare-and-set cell edits, archives. Retries with the same key replay the first answer. */
  applyChanges(changes: ChangeInput[], meta: CommandMeta, clientKey?: string): ChangesResult {
    return this.uow.run(() => {
      const idempotencyKey =
        clientKey === undefined ? undefined : scopedKey(meta.actor.id, clientKey);
      const fingerprint = idempotencyKey
        ? createHash('sha256').update(JSON.stringify(changes)).digest('hex')
        : '';
      if (idempotencyKey) {
        const seen = this.findKey.get(idempotencyKey) as
          { fingerprint: string; response: string } | undefined;
        if (seen) {
          if (seen.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError(clientKey!);
          return JSON.parse(seen.response) as ChangesResult;
        }
      }
      const at = this.clock.now();
      const ops: ChangeOp[] = changes.map(
        (c) =>
          (c.op === 'create' ? { ...c, record_id: this.recordId(c.record_id) } : c) as ChangeOp,
      );
      const cmd: ApplyChanges = { changes: ops, at, actor_id: meta.actor.id };
      const decision = decideChanges(cmd, this.ctx);
      this.append(decision, meta, at);
      const result: ChangesResult = {
        version: this.store.lastPosition(),
        applied: decision.applied,
        // A conflict's values are cells' values: what the client sent, and what the cell holds.
        conflicts: decision.conflicts as Conflict[],
      };
      if (idempotencyKey)
        this.saveKey.run(idempotencyKey, fingerprint, JSON.stringify(result), result.version, at);
      return result;
    });
  }

  /** applyChanges through the group commit: concurrent grid edits share one transaction and one fsync. */
  submitChanges(
    changes: ChangeInput[],
    meta: CommandMeta,
    idempotencyKey?: string,
  ): Promise<ChangesResult> {
    return this.uow.submit(() => this.applyChanges(changes, meta, idempotencyKey));
  }

  /** PUT of the whole document: the caller checked the base version; the diff runs as ordered commands in one transaction. */
  replaceDocument(
    expectedVersion: number,
    doc: BaseDocument,
    meta: CommandMeta,
  ): PutStateResult | { conflict: ReturnType<FundraisingRepository['state']> } {
    return this.uow.run(() => {
      const head = this.repo.state();
      if (head.version !== expectedVersion) return { conflict: head };
      const plan = planDocument(doc, this.ctx);
      const correlation_id = meta.correlation_id ?? newId('cor');
      // Counted are the commands that changed something; a view saved as it was is planned but appends nothing.
      let commands = 0;
      for (const step of plan) if (this.runPlanned(step, { ...meta, correlation_id })) commands++;
      return { version: this.store.lastPosition(), commands };
    });
  }

  private runPlanned(step: PlannedCommand, meta: CommandMeta): boolean {
    const at = this.clock.now();
    let decision: Decision;
    switch (step.kind) {
      case 'create_table':
        decision = decideCreateTable(step.command, this.ctx);
        break;
      case 'add_field':
        decision = decideAddField({ table_id: step.table_id, field: step.field }, this.ctx);
        break;
      case 'rename_field':
        decision = decideRenameField(step, this.ctx);
        break;
      case 'retype_field':
        decision = decideRetypeField(step, this.ctx);
        break;
      case 'remove_field':
        decision = decideRemoveField(step, this.ctx);
        break;
      case 'changes': {
        const d = decideChanges({ changes: step.changes, at, actor_id: meta.actor.id }, this.ctx);
        if (d.conflicts.length)
          throw new DomainError(
            'conflict',
            'the document changed while it was being applied',
            { conflicts: d.conflicts },
            'cell_conflict',
          );
        decision = d;
        break;
      }
      case 'save_view':
        decision = decideSaveView({ ...step, actor: meta.actor }, this.ctx);
        break;
      case 'delete_view':
        decision = decideDeleteView({ ...step, actor: meta.actor }, this.ctx);
        break;
    }
    return this.append(decision, meta, at);
  }

  /** Appends the decision's events; false when it has none. */
  private append(decision: Decision, meta: CommandMeta, at: string): boolean {
    const count = decision.appends.reduce((n, a) => n + a.events.length, 0);
    if (count === 0) return false;
    this.store.append(decision.appends, {
      metadata: {
        actor_id: meta.actor.id,
        actor_name: meta.actor.name,
        correlation_id: meta.correlation_id ?? newId('cor'),
        causation_id: meta.causation_id ?? null,
        source: meta.source,
      },
      recorded_at: at,
      event_ids: Array.from({ length: count }, newEventId),
    });
    return true;
  }

  private recordId(given: string | undefined): string {
    if (given === undefined) return newId('rec');
    if (!RECORD_ID.test(given))
      throw new DomainError(
        'validation',
        'record_id must look like rec followed by 14 letters or digits',
        { field: 'record_id', given },
      );
    return given;
  }
}

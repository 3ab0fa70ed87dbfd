import type { EventSource } from '@crm/events';
import { IdempotencyKeyReusedError } from '@crm/events';
import type { Decision } from '@crm/domain';
import type { Clock } from '../clock';
import { newEventId, newId } from '../clock';
import type { UnitOfWork } from '../database/unit-of-work';
import type { SqliteEventStore } from '../event-store/sqlite-event-store';
import type { ProjectionRunner } from '../projections/projection-runner';
import type { Actor } from '../request-context/actor';
import { fingerprintOf, type IdempotencyRepository } from './idempotency.repository';

/** Who asked, from where, and why: carried into every event the command appends. */
export interface CommandMeta {
  actor: Actor;
  source: EventSource;
  /** Groups the events of one user action (a paste, an import, a rule's run); new when absent. */
  correlation_id?: string;
  /** The event this command reacts to (a processor's command); null for a person's request. */
  causation_id?: string | null;
}

/** A command's view of its transaction: its time, its metadata, and the append of decisions. */
export interface CommandScope {
  /** The command's time; every event it appends shares it. */
  readonly at: string;
  readonly meta: CommandMeta & { correlation_id: string };
  /** Appends the decision's events and runs the inline projections over them; false when it has none. */
  append(decision: Decision): Promise<boolean>;
  /** The log head, after what this command appended so far. */
  position(): number;
}

/** Loads what the command names, runs the pure decider, appends through the scope, and answers. */
export type CommandHandler<R> = (scope: CommandScope) => R | Promise<R>;

/**
 * A request sent again under `key` (a client's retry, a processor's redelivery) gets the first
 * answer and appends nothing; the same key with another `request` is refused. The answer must be
 * JSON: it is stored to be given back.
 */
export interface Idempotency {
  key: string;
  request: unknown;
  /** How the refusal names the key (a client's own key, without the scope it is stored under). */
  label?: string;
}

/**
 * The one way a write happens. Every command — grid changes, schema, accounts, backups, imports,
 * undo, restore, and what processors issue — runs here in one transaction: the handler loads the
 * state the command names and runs its decider, its decisions are appended with
 * `{actor, source, correlation_id, causation_id}`, the inline projections run right after the
 * append, and an idempotency key is recorded with the answer. Nobody is answered before the COMMIT.
 * A command issued from within another's handler (a plan of several commands that commit together,
 * start-up, the command-line tools) runs inside that transaction.
 */
export class CommandExecutor {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly store: SqliteEventStore,
    private readonly projections: ProjectionRunner,
    private readonly keys: IdempotencyRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * One command in a transaction of its own (or in the open one, from within its work); a foreign
   * write lock is waited for without blocking.
   */
  execute<R>(meta: CommandMeta, handle: CommandHandler<R>, idempotency?: Idempotency): Promise<R> {
    return this.uow.write(() => this.perform(meta, handle, idempotency));
  }

  /**
   * The same, committed without an fsync of its own (see UnitOfWork.writeDerived), for a processor's
   * command that is redone after a crash when lost: its checkpoint is saved behind it, and any later
   * fsync of the log makes it durable. An automation's run goes this way, so that it never queues a
   * flush before the next edit's.
   */
  executeUnsynced<R>(meta: CommandMeta, handle: CommandHandler<R>): Promise<R> {
    return this.uow.writeDerived(() => this.perform(meta, handle));
  }

  /**
   * One transaction committed without an fsync (as `executeUnsynced`) for many commands: `work`
   * issues each through `command`, which runs it in a savepoint of its own, so that one that throws
   * (and rejects) rolls back alone while the others commit together.
   */
  executeUnsyncedTogether<T>(
    work: (command: <R>(meta: CommandMeta, handle: CommandHandler<R>) => Promise<R>) => Promise<T>,
  ): Promise<T> {
    return this.uow.writeDerived(() =>
      work((meta, handle) => this.uow.savepoint(() => this.perform(meta, handle))),
    );
  }

  /**
   * The same through the group commit: commands arriving in one turn of the event loop share one
   * transaction (each in its own savepoint) and one fsync. The grid's edits go this way.
   */
  submit<R>(meta: CommandMeta, handle: CommandHandler<R>, idempotency?: Idempotency): Promise<R> {
    return this.uow.submit(() => this.perform(meta, handle, idempotency));
  }

  private async perform<R>(
    meta: CommandMeta,
    handle: CommandHandler<R>,
    idempotency?: Idempotency,
  ): Promise<R> {
    const at = this.clock.now();
    if (idempotency === undefined) return handle(this.scope(meta, at));
    const fingerprint = fingerprintOf(idempotency.request);
    const seen = this.keys.answerFor(idempotency.key);
    if (seen) {
      if (seen.fingerprint !== fingerprint)
        throw new IdempotencyKeyReusedError(idempotency.label ?? idempotency.key);
      return JSON.parse(seen.response) as R;
    }
    const result = await handle(this.scope(meta, at));
    this.keys.remember(idempotency.key, fingerprint, result, this.store.lastPosition(), at);
    return result;
  }

  /** True when a key has been used: a processor's command for an event ran already. */
  ran(key: string): boolean {
    return this.keys.answerFor(key) !== undefined;
  }

  private scope(meta: CommandMeta, at: string): CommandScope {
    const full = { ...meta, correlation_id: meta.correlation_id ?? newId('cor') };
    return {
      at,
      meta: full,
      append: (decision) => this.append(decision, full, at),
      position: () => this.store.lastPosition(),
    };
  }

  private async append(
    decision: Decision,
    meta: CommandScope['meta'],
    at: string,
  ): Promise<boolean> {
    let count = 0;
    for (const a of decision.appends) count += a.events.length;
    if (count === 0) return false;
    const token = meta.actor.token;
    const { events } = this.store.append(decision.appends, {
      metadata: {
        actor_id: meta.actor.id,
        actor_name: meta.actor.name,
        correlation_id: meta.correlation_id,
        causation_id: meta.causation_id ?? null,
        // A script's writes are the API's, whichever route it called, and name its token.
        source: token ? 'api' : meta.source,
        ...(token && { token_id: token.id, token_name: token.name }),
      },
      recorded_at: at,
      event_ids: Array.from({ length: count }, newEventId),
    });
    await this.projections.applyInline(events);
    return true;
  }
}

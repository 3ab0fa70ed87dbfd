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
  NotLoadedError,
} from '@crm/domain';
import { newId } from '../../infrastructure/clock';
import type {
  CommandExecutor,
  CommandMeta,
  CommandScope,
  Idempotency,
} from '../../infrastructure/commands/command-executor';
import { loadForChanges, loadNamed, type Named, type StateReader, widened } from './changes-load';
import { type FundraisingRepository } from './fundraising.repository';
import type { ChangeInput, ChangesResult, Conflict, PutStateResult } from '@crm/contracts';

export type { CommandMeta } from '../../infrastructure/commands/command-executor';

const RECORD_ID = /^rec[0-9A-Za-z]{14}$/;
/** A decider still missing state after this many loads has a bug in what it reads. */
const MAX_LOAD_ROUNDS = 20;

/**
 * A client's key is its sender's own: stored under the actor's id, so that another user replaying it
 * is judged as a request of their own. Client keys cannot hold '/', so the two parts never blur.
 */
const scopedKey = (actorId: string, key: string) => `${actorId}/${key}`;

/** The decision and the log head after it. */
export interface Decided {
  version: number;
  decision: Decision;
}

/**
 * Command handlers of the fundraising base. Each gives the executor a handler that reads the state
 * the command names (the read models, through `ctx`), calls a pure decider and appends its decision;
 * none holds a business rule of its own.
 */
export class FundraisingCommands {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly repo: FundraisingRepository,
  ) {}

  /**
   * The base as it is now, for reads outside a command (a restore's preview, an import's plan). A
   * decider is given what its command loaded instead (see `load`).
   */
  readonly ctx: DecideContext = {
    table: (id) => this.repo.table(id),
    tables: () => this.repo.tables(),
    record: (id) => this.repo.record(id),
    recordsOf: (tableId) => this.repo.recordsOf(tableId),
    recordSample: (tableId, size) => this.repo.recordSample(tableId, size),
    view: (id) => this.repo.view(id),
    viewIds: () => this.repo.viewIds(),
    member: (id) => this.repo.member(id),
  };

  /** The reader port a command's load step goes through (the read models, here in SQLite). */
  private readonly reader: StateReader = {
    records: (ids) => Promise.resolve(new Map(ids.map((id) => [id, this.repo.record(id)]))),
    tables: (ids) => Promise.resolve(new Map(ids.map((id) => [id, this.repo.table(id)]))),
    team: () => Promise.resolve(this.repo.teamMembers()),
    schema: () =>
      Promise.resolve({
        tables: this.repo.tables(),
        views: this.repo.viewIds().map((id) => this.repo.view(id)!),
      }),
    recordsOf: (tableId) => Promise.resolve([...this.repo.recordsOf(tableId)]),
    recordSample: (tableId, size) => Promise.resolve(this.repo.recordSample(tableId, size)),
  };

  /**
   * The state a command's decider reads, loaded before it runs: the schema, and what `named` names.
   * A command that makes several decisions loads again before each (it sees what the last appended).
   */
  load(named: Named = {}): Promise<DecideContext> {
    return loadNamed(this.reader, named);
  }

  /**
   * A decision over the base, as one command: a transaction of its own, or a part of the open one
   * when issued from within another command's work (start-up, plans, tools).
   */
  decide(
    meta: CommandMeta,
    decide: (ctx: DecideContext, at: string) => Decision,
    named: Named = {},
  ): Promise<Decided> {
    return this.executor.execute(meta, (scope) => this.decided(scope, decide, named));
  }

  /** Several commands that commit together or not at all (the default base, a plan). */
  executeAll<R>(meta: CommandMeta, work: () => R | Promise<R>): Promise<R> {
    return this.executor.execute(meta, () => work());
  }

  /** The grid's batch: creates, compare-and-set cell edits, archives. Retries with the same key replay the first answer. */
  applyChanges(
    changes: ChangeInput[],
    meta: CommandMeta,
    clientKey?: string,
  ): Promise<ChangesResult> {
    return this.executor.execute(
      meta,
      (scope) => this.changed(scope, changes),
      this.idempotency(meta, changes, clientKey),
    );
  }

  /** applyChanges through the group commit: concurrent grid edits share one transaction and one fsync. */
  submitChanges(
    changes: ChangeInput[],
    meta: CommandMeta,
    clientKey?: string,
  ): Promise<ChangesResult> {
    return this.executor.submit(
      meta,
      (scope) => this.changed(scope, changes),
      this.idempotency(meta, changes, clientKey),
    );
  }

  /** PUT of the whole document: the caller checked the base version; the diff runs as ordered commands in one transaction. */
  replaceDocument(
    expectedVersion: number,
    doc: BaseDocument,
    meta: CommandMeta,
  ): Promise<PutStateResult | { conflict: ReturnType<FundraisingRepository['state']> }> {
    const correlated = { ...meta, correlation_id: meta.correlation_id ?? newId('cor') };
    return this.executor.execute(correlated, async (outer) => {
      const head = this.repo.state();
      if (head.version !== expectedVersion) return { conflict: head };
      // The document names the whole base: every record of every table.
      const plan = planDocument(doc, await this.load({ recordsOf: 'all' }));
      // Counted are the commands that changed something; a view saved as it was is planned but appends nothing.
      let commands = 0;
      for (const step of plan)
        if (
          await this.executor.execute(correlated, async (scope) =>
            scope.append(
              await this.decideLoaded(namedByStep(step), (ctx) => this.planned(step, scope, ctx)),
            ),
          )
        )
          commands++;
      return { version: outer.position(), commands };
    });
  }

  private async decided(
    scope: CommandScope,
    decide: (ctx: DecideContext, at: string) => Decision,
    named: Named,
  ): Promise<Decided> {
    const decision = await this.decideLoaded(named, (ctx) => decide(ctx, scope.at));
    await scope.append(decision);
    return { version: scope.position(), decision };
  }

  /**
   * Runs a pure decider over what its command named. A decider that reads what was not named fails
   * without effect; what it missed is loaded and it decides again (see `widened`), so a command that
   * names nothing still decides over exactly the state it reads.
   */
  private async decideLoaded<D>(named: Named, decide: (ctx: DecideContext) => D): Promise<D> {
    for (let round = 0; ; round++) {
      const ctx = await this.load(named);
      try {
        return decide(ctx);
      } catch (e) {
        if (!(e instanceof NotLoadedError) || round >= MAX_LOAD_ROUNDS) throw e;
        named = widened(named, e.need, round);
      }
    }
  }

  private async changed(scope: CommandScope, changes: ChangeInput[]): Promise<ChangesResult> {
    const ops: ChangeOp[] = changes.map(
      (c) => (c.op === 'create' ? { ...c, record_id: this.recordId(c.record_id) } : c) as ChangeOp,
    );
    const cmd: ApplyChanges = { changes: ops, at: scope.at, actor_id: scope.meta.actor.id };
    // Load what the batch names, then decide over that alone: the decider stays pure and synchronous.
    const decision = decideChanges(cmd, await loadForChanges(this.reader, ops));
    await scope.append(decision);
    return {
      version: scope.position(),
      applied: decision.applied,
      // A conflict's values are cells' values: what the client sent, and what the cell holds.
      conflicts: decision.conflicts as Conflict[],
    };
  }

  private idempotency(
    meta: CommandMeta,
    changes: ChangeInput[],
    clientKey: string | undefined,
  ): Idempotency | undefined {
    if (clientKey === undefined) return undefined;
    return { key: scopedKey(meta.actor.id, clientKey), request: changes, label: clientKey };
  }

  private planned(step: PlannedCommand, scope: CommandScope, ctx: DecideContext): Decision {
    const meta = scope.meta;
    switch (step.kind) {
      case 'create_table':
        return decideCreateTable(step.command, ctx);
      case 'add_field':
        return decideAddField({ table_id: step.table_id, field: step.field }, ctx);
      case 'rename_field':
        return decideRenameField(step, ctx);
      case 'retype_field':
        return decideRetypeField(step, ctx);
      case 'remove_field':
        return decideRemoveField(step, ctx);
      case 'changes': {
        const d = decideChanges(
          { changes: step.changes, at: scope.at, actor_id: meta.actor.id },
          ctx,
        );
        if (d.conflicts.length)
          throw new DomainError('conflict', 'the document changed while it was being applied', {
            conflicts: d.conflicts,
          });
        return d;
      }
      case 'save_view':
        return decideSaveView({ ...step, actor: meta.actor }, ctx);
      case 'delete_view':
        return decideDeleteView({ ...step, actor: meta.actor }, ctx);
    }
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

/** What a step of a document plan names beyond the schema (a document is an admin's rare, whole-base write). */
function namedByStep(step: PlannedCommand): Named {
  switch (step.kind) {
    case 'add_field':
      return step.field.type === 'formula' ? { sampleOf: [step.table_id] } : {};
    case 'retype_field':
    case 'remove_field':
    case 'changes':
      return { recordsOf: 'all' };
    case 'create_table':
    case 'rename_field':
    case 'save_view':
    case 'delete_view':
      return {};
  }
}

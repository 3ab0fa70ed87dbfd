import {
  AUTOMATIC_LIST,
  type Decision,
  decideAddList,
  decideArchiveRule,
  decideChangeRule,
  decideCreateRule,
  decideDisableFailingRule,
  decideSetMembership,
  invalid,
  type ListMoveBack,
  notFound,
  type RulesContext,
  type SetMembership,
} from '@crm/domain';
import type { MembershipMoveResult } from '@crm/contracts';
import type { RecordedEvent } from '@crm/events';
import { decideToggleRule } from '@crm/domain';
import { newId } from '../../infrastructure/clock';
import type {
  CommandExecutor,
  CommandMeta,
  CommandScope,
} from '../../infrastructure/commands/command-executor';
import type { FundraisingRepository } from '../fundraising/index';
import type { AutomationsRepository } from './automations.repository';

/** Command handlers of the rule and membership streams: load, decide, append. */
export class AutomationCommands {
  constructor(
    private readonly executor: CommandExecutor,
    readonly repo: AutomationsRepository,
    private readonly base: FundraisingRepository,
  ) {}

  /** What the rule deciders read, as it is now (inside the command's transaction). */
  readonly ctx: RulesContext = {
    rule: (id) => this.repo.rule(id),
    table: (id) => this.base.table(id),
    tables: () => this.base.tables(),
    isList: (name) => this.repo.isList(name),
  };

  async create(input: Record<string, unknown>, meta: CommandMeta): Promise<string> {
    const ruleId = newId('aut');
    await this.decide(meta, () => decideCreateRule({ rule_id: ruleId, input }, this.ctx));
    return ruleId;
  }

  change(ruleId: string, input: Record<string, unknown>, meta: CommandMeta): Promise<void> {
    return this.decide(meta, () => decideChangeRule({ rule_id: ruleId, input }, this.ctx));
  }

  toggle(ruleId: string, enabled: unknown, meta: CommandMeta): Promise<void> {
    return this.decide(meta, () => decideToggleRule({ rule_id: ruleId, enabled }, this.ctx));
  }

  archive(ruleId: string, meta: CommandMeta): Promise<void> {
    return this.decide(meta, () => decideArchiveRule({ rule_id: ruleId }, this.ctx));
  }

  disableFailing(
    ruleId: string,
    failures: number,
    error: string,
    meta: CommandMeta,
  ): Promise<void> {
    return this.decide(meta, () =>
      decideDisableFailingRule({ rule_id: ruleId, failures, error }, this.ctx),
    );
  }

  /** A list beside the built-in ones; answers its key. */
  async addList(name: unknown, meta: CommandMeta): Promise<string> {
    const d = decideAddList(
      { name },
      { isList: (l) => this.repo.isList(l), listsVersion: () => this.repo.listsVersion() },
    );
    await this.executor.execute(meta, (scope) => scope.append(d));
    return (d.appends[0].events[0].data as { list: string }).list;
  }

  /** A person's move of a live record into or out of a list. */
  move(
    cmd: Pick<SetMembership, 'record_id' | 'list' | 'op'>,
    meta: CommandMeta,
  ): Promise<MembershipMoveResult> {
    return this.executor.execute(meta, (scope) =>
      this.setMembership(scope, { ...cmd, rule_id: null, run_id: null }),
    );
  }

  /**
   * The list moves among `events` taken back, newest first, in the command's transaction (an undo
   * of a batch that moved records: a rule's run, a rollback). A move taken back already, or whose
   * record is gone, changes nothing. Answers the moves made and the log head after them.
   */
  undoMoves(
    events: readonly RecordedEvent[],
    meta: CommandMeta,
  ): Promise<{ moved: number; version: number }> {
    return this.executor.execute(meta, async (scope) => {
      let moved = 0;
      for (const e of [...events].sort((x, y) => y.position - x.position)) {
        if (e.type !== 'MembershipAdded' && e.type !== 'MembershipRemoved') continue;
        const d = e.data as { record_id: string; list: string };
        const record = this.base.record(d.record_id);
        if (!record || record.archived || d.list === AUTOMATIC_LIST) continue;
        const op: 'add' | 'remove' = e.type === 'MembershipAdded' ? 'remove' : 'add';
        const cmd = { record_id: d.record_id, list: d.list, op, rule_id: null, run_id: null };
        const r = await this.setMembership(scope, cmd);
        if (r.from.join() !== r.to.join()) moved++;
      }
      return { moved, version: scope.position() };
    });
  }

  /**
   * The list moves that put records' lists back as they were at a moment (a restore), in the
   * command's transaction and batch; a record no longer live is left as it is. Answers the moves
   * made and the log head after them.
   */
  moveBack(
    moves: readonly ListMoveBack[],
    meta: CommandMeta,
  ): Promise<{ moved: number; version: number }> {
    return this.executor.execute(meta, async (scope) => {
      let moved = 0;
      for (const m of moves) {
        const record = this.base.record(m.record_id);
        if (!record || record.archived || m.list === AUTOMATIC_LIST || !this.repo.isList(m.list))
          continue;
        const r = await this.setMembership(scope, { ...m, rule_id: null, run_id: null });
        if (r.from.join() !== r.to.join()) moved++;
      }
      return { moved, version: scope.position() };
    });
  }

  /** Within a command's scope (a person's move, or a step of a rule's run). */
  async setMembership(
    scope: CommandScope,
    cmd: Omit<SetMembership, 'table_id'>,
  ): Promise<MembershipMoveResult> {
    // Its table alone is read: a rule's run moves thousands of records at a time.
    const tableId = this.base.liveTableOf(cmd.record_id);
    if (!tableId) throw notFound(`no live record ${cmd.record_id}`, { field: 'record_id' });
    if (typeof cmd.list !== 'string')
      throw invalid('list: must be a list name', { field: 'list' }, 'unknown_list');
    const d = decideSetMembership(
      { ...cmd, table_id: tableId },
      { membership: (id) => this.repo.membership(id), isList: (n) => this.repo.isList(n) },
    );
    await scope.append(d);
    return { record_id: cmd.record_id, from: d.from, to: d.to };
  }

  private async decide(meta: CommandMeta, decide: () => Decision): Promise<void> {
    await this.executor.execute(meta, async (scope) => {
      await scope.append(decide());
    });
  }
}

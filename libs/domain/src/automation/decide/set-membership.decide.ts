import { type MembershipOp, automationStreams, type NewEvent } from '@crm/events';
import { type Decision, DecisionBuilder } from '../../base/decide-context';
import { invalid } from '../../errors';
import { AUTOMATIC_LIST, type MembershipState } from '../automation.state';

export interface SetMembership {
  record_id: string;
  table_id: string;
  list: string;
  op: MembershipOp;
  /** The rule and run making the change; null for a person's move. */
  rule_id: string | null;
  run_id: string | null;
}

export interface MembershipContext {
  /** The record's lists; an empty state for a record in none. */
  membership(recordId: string): MembershipState;
  isList(name: string): boolean;
}

/** The record's lists before and after, for a run's effects and the answer to a move. */
export interface MembershipDecision extends Decision {
  from: string[];
  to: string[];
}

/**
 * `add` and `remove` change one list; `move` leaves every other list and joins this one. A change
 * that changes nothing appends nothing. `all` is kept by the system and never moved.
 */
export function decideSetMembership(
  cmd: SetMembership,
  ctx: MembershipContext,
): MembershipDecision {
  if (!ctx.isList(cmd.list))
    throw invalid(
      `list: unknown list ${JSON.stringify(cmd.list)}`,
      { field: 'list' },
      'unknown_list',
    );
  if (cmd.list === AUTOMATIC_LIST)
    throw invalid('list: every live record is in "all"; nothing moves it', { field: 'list' });
  const current = ctx.membership(cmd.record_id);
  const from = [...current.lists].sort();
  const leave =
    cmd.op === 'remove' ? [cmd.list] : cmd.op === 'move' ? from.filter((l) => l !== cmd.list) : [];
  const join = cmd.op !== 'remove' && !current.lists.has(cmd.list) ? [cmd.list] : [];
  const b = new DecisionBuilder();
  const base = {
    record_id: cmd.record_id,
    table_id: cmd.table_id,
    rule_id: cmd.rule_id,
    run_id: cmd.run_id,
  };
  const events: NewEvent[] = [
    ...leave
      .filter((l) => current.lists.has(l))
      .map((list) => ({ type: 'MembershipRemoved', data: { ...base, list } })),
    ...join.map((list) => ({ type: 'MembershipAdded', data: { ...base, list } })),
  ];
  for (const e of events) b.emit(automationStreams.membership(cmd.record_id), current.version, e);
  const after = new Set(current.lists);
  for (const e of events)
    if (e.type === 'MembershipAdded') after.add((e.data as { list: string }).list);
    else after.delete((e.data as { list: string }).list);
  return { ...b.build(), from, to: [...after].sort() };
}

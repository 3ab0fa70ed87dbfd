import { InMemoryLog, type RecordedEvent } from '@crm/events';
import { type Decision } from '../base/decide-context';
import { type AccountsContext, accountsContextOf } from '../user/user.context';
import { replayAccounts } from '../user/user.evolve';
import { type AccountsState } from '../user/user.state';

/** Given these account decisions in the log, when a command is decided, then these events (or this error). */
export class GivenAccounts {
  readonly store = new InMemoryLog((prev, e) => `${prev.slice(0, 8)}:${e.position}`);
  private n = 0;

  get state(): AccountsState {
    return replayAccounts(this.store.readAll());
  }

  get ctx(): AccountsContext {
    return accountsContextOf(this.state);
  }

  apply(
    decision: Decision | ((ctx: AccountsContext) => Decision),
    actor = 'usr_admin',
    at = '2026-01-01T00:00:00.000Z',
  ): RecordedEvent[] {
    const d = typeof decision === 'function' ? decision(this.ctx) : decision;
    const count = d.appends.reduce((n, a) => n + a.events.length, 0);
    if (count === 0) return [];
    return this.store.append(d.appends, {
      metadata: { actor_id: actor, correlation_id: 'cor_test', source: 'api' },
      recorded_at: at,
      event_ids: Array.from({ length: count }, () => `evt_${++this.n}`),
    }).events;
  }
}

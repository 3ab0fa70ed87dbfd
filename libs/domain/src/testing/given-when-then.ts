import {
  type EventMetadata,
  InMemoryLog,
  type NewEvent,
  type RecordedEvent,
  type StreamAppend,
} from '@crm/events';
import { type BaseState, contextOf, initialBaseState, replay } from '../base/base.state';
import { type DecideContext, type Decision } from '../base/decide-context';

const META: EventMetadata = { actor_id: 'usr_test', correlation_id: 'cor_test', source: 'api' };

/**
 * Given these decisions (or raw appends) already in the log, when a command is decided, then these
 * events (or this error). The store is the in-memory reference store with a trivial hash.
 */
export class Given {
  readonly store = new InMemoryLog((prev, e) => `${prev.slice(0, 8)}:${e.position}`);
  private n = 0;
  private at = Date.UTC(2026, 0, 1);

  static empty(): Given {
    return new Given();
  }

  get state(): BaseState {
    return replay(this.store.readAll(), initialBaseState());
  }

  get ctx(): DecideContext {
    return contextOf(this.state);
  }

  /** Appends a decision's events as if a handler had run it. */
  apply(
    decision: Decision | ((ctx: DecideContext) => Decision),
    actor = META.actor_id,
  ): RecordedEvent[] {
    const d = typeof decision === 'function' ? decision(this.ctx) : decision;
    return this.appendAll(d.appends, actor);
  }

  appendAll(appends: StreamAppend[], actor = META.actor_id): RecordedEvent[] {
    const count = appends.reduce((n, a) => n + a.events.length, 0);
    if (count === 0) return [];
    this.at += 1000;
    const result = this.store.append(appends, {
      metadata: { ...META, actor_id: actor },
      recorded_at: new Date(this.at).toISOString(),
      event_ids: Array.from({ length: count }, () => `evt_${++this.n}`),
    });
    return result.events;
  }

  get now(): string {
    return new Date(this.at + 1000).toISOString();
  }
}

/** The events of a decision as plain `{ type, data }`, for `toEqual`. */
export const eventsOf = (d: Decision): NewEvent[] =>
  d.appends.flatMap((a) => a.events.map((e) => ({ type: e.type, data: e.data })));

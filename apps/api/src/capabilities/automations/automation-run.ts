import {
  MAX_CHAIN_DEPTH,
  MAX_RUN_EFFECTS,
  type PlannedStep,
  reminderEffect,
  type RuleState,
} from '@crm/domain';
import type {
  AutomationEffect,
  AutomationRunSkippedData,
  NewEvent,
  StreamAppend,
} from '@crm/events';
import { automationStreams } from '@crm/events';
import type { CommandScope } from '../../infrastructure/commands/command-executor';
import type { FundraisingCommands } from '../fundraising/index';
import type { AutomationCommands } from './automation.commands';

/** The run being made: its id, its rule, what triggered it and the chain of rules behind that. */
export interface RunStart {
  run_id: string;
  rule: RuleState;
  trigger_position: number;
  trigger_event_id: string;
  record_id: string | null;
  chain: string[];
}

type Conflicts = { record_id: string; field_id: string; expected: unknown; current: unknown }[];

/** Why a run must not go on, or null: a loop, a chain too deep, or too many effects. */
export function guardOf(
  start: RunStart,
  steps: number,
): Omit<AutomationRunSkippedData, 'run_id' | 'rule_id'> | null {
  if (start.chain.includes(start.rule.id))
    return {
      reason: 'loop',
      detail: `the event was caused by this rule (chain ${start.chain.join(' → ')})`,
    };
  if (start.chain.length >= MAX_CHAIN_DEPTH)
    return {
      reason: 'chain_too_deep',
      detail: `${start.chain.length} rules deep already (at most ${MAX_CHAIN_DEPTH})`,
    };
  if (steps > MAX_RUN_EFFECTS)
    return { reason: 'too_many_effects', detail: `${steps} effects (at most ${MAX_RUN_EFFECTS})` };
  return null;
}

/**
 * Appends one run inside the command's transaction: AutomationRunStarted on the run's stream (which
 * the log refuses if this (rule, event) ran already), the effects with the run as their correlation,
 * and AutomationRunSucceeded or AutomationRunSkipped. A step that throws rolls the whole run back;
 * the caller then records the failure in a transaction of its own.
 *
 * What the run writes is held and appended together, in order, as late as it can be: a run of one
 * list move (a schedule's runs over ten thousand records) is one append of its three events, one
 * pass of the projections instead of three. It is appended before a step that must see it (a list
 * move after another) or that appends by itself (a cell's change).
 */
export class RunWriter {
  private version = 0;
  /** What the run holds, in the log's order: its own events and its effects' appends. */
  private held: StreamAppend[] = [];
  /** The run's own events among them. */
  private ownHeld = 0;
  /** Whether an effect is among them. */
  private effectHeld = false;
  /** A step's scope whose appends are held with the run's events (see `flush`). */
  private readonly holding: CommandScope;

  constructor(
    private readonly scope: CommandScope,
    private readonly start: RunStart,
    private readonly automations: AutomationCommands,
    private readonly fundraising: FundraisingCommands,
  ) {
    this.holding = {
      at: scope.at,
      meta: scope.meta,
      append: (decision) => {
        const appends = decision.appends.filter((a) => a.events.length > 0);
        this.held.push(...appends);
        if (appends.length) this.effectHeld = true;
        return Promise.resolve(appends.length > 0);
      },
      position: () => {
        throw new Error('a held step cannot read the log head');
      },
    };
  }

  private get stream(): string {
    return automationStreams.run(this.start.rule.id, this.start.trigger_event_id);
  }

  emit(event: NewEvent): void {
    const last = this.held.at(-1);
    if (last && last.stream_id === this.stream) last.events.push(event);
    else
      this.held.push({
        stream_id: this.stream,
        expected_version: this.version + this.ownHeld,
        events: [event],
      });
    this.ownHeld++;
  }

  /** Appends what is held, in one append (one pass of the projections, not one per event). */
  async flush(): Promise<void> {
    const appends = this.held;
    if (appends.length === 0) return;
    this.held = [];
    this.effectHeld = false;
    await this.scope.append({ appends, conflicts: [] });
    this.version += this.ownHeld;
    this.ownHeld = 0;
  }

  started(): void {
    const s = this.start;
    this.emit({
      type: 'AutomationRunStarted',
      data: {
        run_id: s.run_id,
        rule_id: s.rule.id,
        rule_version: s.rule.version,
        trigger_position: s.trigger_position,
        trigger_event_id: s.trigger_event_id,
        record_id: s.record_id,
        chain: s.chain,
      },
    });
  }

  async skipped(why: Omit<AutomationRunSkippedData, 'run_id' | 'rule_id'>): Promise<void> {
    this.emit({
      type: 'AutomationRunSkipped',
      data: { run_id: this.start.run_id, rule_id: this.start.rule.id, ...why },
    });
    await this.flush();
  }

  async failed(error: string): Promise<void> {
    this.emit({
      type: 'AutomationRunFailed',
      data: { run_id: this.start.run_id, rule_id: this.start.rule.id, error },
    });
    await this.flush();
  }

  /** Every step, then AutomationRunSucceeded with what changed and what a person kept. */
  async perform(steps: readonly PlannedStep[]): Promise<void> {
    const effects: AutomationEffect[] = [];
    const conflicts: Conflicts = [];
    for (const step of steps) await this.step(step, effects, conflicts);
    this.emit({
      type: 'AutomationRunSucceeded',
      data: { run_id: this.start.run_id, rule_id: this.start.rule.id, effects, conflicts },
    });
    await this.flush();
  }

  private async step(step: PlannedStep, effects: AutomationEffect[], conflicts: Conflicts) {
    const { rule, run_id } = this.start;
    switch (step.kind) {
      case 'membership': {
        // A move decides on the lists as the run's earlier moves left them.
        if (this.effectHeld) await this.flush();
        const r = await this.automations.setMembership(this.holding, {
          ...step,
          rule_id: rule.id,
          run_id,
        });
        if (r.from.join() !== r.to.join())
          effects.push({
            record_id: step.record_id,
            what: `lists (${step.op} ${step.list})`,
            from: r.from,
            to: r.to,
          });
        return;
      }
      case 'cell': {
        // The change appends by itself: what the run holds goes before it in the log.
        await this.flush();
        const change = {
          op: 'set' as const,
          record_id: step.record_id,
          field_id: step.field_id,
          from: step.from,
          to: step.to,
        };
        const result = await this.fundraising.applyChanges([change], this.scope.meta);
        if (result.conflicts.length)
          for (const c of result.conflicts)
            conflicts.push({
              record_id: c.record_id,
              field_id: c.field_id,
              expected: c.expected,
              current: c.current,
            });
        else
          effects.push({
            record_id: step.record_id,
            what: `field ${step.field_id}`,
            from: step.from,
            to: step.to,
          });
        return;
      }
      case 'reminder':
        // Made by the reminders' processor once the run has committed (caused by its success).
        effects.push(reminderEffect(step));
        return;
      case 'note':
        this.emit({
          type: 'AutomationNoteLogged',
          data: { run_id, rule_id: rule.id, record_id: step.record_id, text: step.text },
        });
        effects.push({ record_id: step.record_id, what: 'note', from: null, to: step.text });
        return;
    }
  }
}

import type {
  AutomationRule,
  AutomationRun,
  AutomationRunStatus,
  Membership,
} from '@crm/contracts';
import {
  BUILT_IN_LIST_NAMES,
  BUILT_IN_LISTS,
  type MembershipState,
  type RuleState,
} from '@crm/domain';
import type { AutomationDefinition, AutomationEffect } from '@crm/events';
import type { Statement } from 'better-sqlite3';
import { type Sqlite } from '../../infrastructure/database/database';

interface RuleRow {
  id: string;
  name: string;
  version: number;
  stream_version: number;
  enabled: number;
  archived: number;
  trigger: string;
  conditions: string | null;
  actions: string;
  last_run_at: string | null;
  runs: number;
  failures: number;
  failures_in_a_row: number;
  disabled_reason: string | null;
}

/** How a run ended, as its run-log row holds it. */
export interface RunEnd {
  status: Exclude<AutomationRunStatus, 'running'>;
  effects?: AutomationEffect[];
  conflicts?: unknown[];
  error?: string;
}

interface RunRow {
  id: string;
  rule_id: string;
  rule_version: number;
  status: AutomationRunStatus;
  started_at: string;
  trigger_position: number;
  trigger_event_id: string;
  record_id: string | null;
  chain: string;
  effects: string;
  conflicts: string;
  error: string | null;
}

const toState = (r: RuleRow): RuleState => ({
  id: r.id,
  name: r.name,
  version: r.version,
  stream_version: r.stream_version,
  enabled: r.enabled === 1,
  archived: r.archived === 1,
  trigger: JSON.parse(r.trigger),
  conditions: r.conditions === null ? null : JSON.parse(r.conditions),
  actions: JSON.parse(r.actions),
});

const toRun = (r: RunRow): AutomationRun => ({
  id: r.id,
  rule_id: r.rule_id,
  rule_version: r.rule_version,
  status: r.status,
  started_at: r.started_at,
  trigger: { position: r.trigger_position, event_id: r.trigger_event_id, record_id: r.record_id },
  effects: JSON.parse(r.effects),
  conflicts: JSON.parse(r.conflicts),
  error: r.error,
});

/** All SQL over the rules, their runs and the memberships (the read models of their streams). */
export class AutomationsRepository {
  private readonly statements = new Map<string, Statement>();
  private enabled: { key: string | null; rules: RuleState[] } | null = null;

  constructor(readonly db: Sqlite) {}

  /** Each statement is prepared once: the processor asks for the enabled rules on every record event. */
  private stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  rule(id: string): RuleState | undefined {
    const row = this.stmt(`SELECT * FROM automation_rules WHERE id = ?`).get(id) as
      RuleRow | undefined;
    return row && toState(row);
  }

  /** Rules not archived, oldest first. */
  rules(): AutomationRule[] {
    const rows = this.stmt(
      `SELECT * FROM automation_rules WHERE archived = 0 ORDER BY created_at, id`,
    ).all() as RuleRow[];
    return rows
      .map((r) => ({
        ...toState(r),
        last_run_at: r.last_run_at,
        runs: r.runs,
        failures: r.failures,
        disabled_reason: r.disabled_reason,
      }))
      .map(({ stream_version: _s, archived: _a, ...rest }) => rest);
  }

  /**
   * The rules on, parsed once per change of any of them: the processor asks on every record event,
   * and the key (each rule's id and stream version) is one small read, however large the rules.
   */
  enabledRules(): RuleState[] {
    const key = this.stmt(
      `SELECT group_concat(id || ':' || stream_version) FROM automation_rules
       WHERE enabled = 1 AND archived = 0`,
    )
      .pluck()
      .get() as string | null;
    if (this.enabled && this.enabled.key === key) return this.enabled.rules;
    const rows = this.stmt(
      `SELECT * FROM automation_rules WHERE enabled = 1 AND archived = 0 ORDER BY created_at, id`,
    ).all() as RuleRow[];
    this.enabled = { key, rules: rows.map(toState) };
    return this.enabled.rules;
  }

  /** Rules with a schedule trigger, archived ones aside. */
  scheduledRuleIds(): string[] {
    return this.stmt(
      `SELECT id FROM automation_rules WHERE archived = 0 AND json_extract(trigger, '$.type') = 'schedule'`,
    )
      .pluck()
      .all() as string[];
  }

  /** When the rule was last changed or turned on or off (UTC ms). */
  ruleUpdatedAt(ruleId: string): number | null {
    const at = this.stmt(`SELECT updated_at FROM automation_rules WHERE id = ?`)
      .pluck()
      .get(ruleId) as string | undefined;
    return at === undefined ? null : Date.parse(at);
  }

  head(): number {
    return this.stmt(`SELECT COALESCE(MAX(position), 0) FROM events`).pluck().get() as number;
  }

  failuresInARow(ruleId: string): number {
    const row = this.stmt(`SELECT failures_in_a_row AS n FROM automation_rules WHERE id = ?`).get(
      ruleId,
    ) as { n: number } | undefined;
    return row?.n ?? 0;
  }

  insertRule(id: string, d: AutomationDefinition, enabled: boolean, at: string, v: number): void {
    this.stmt(
      `INSERT OR IGNORE INTO automation_rules
         (id, name, version, stream_version, enabled, trigger, conditions, actions, created_at, updated_at)
         VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      d.name,
      v,
      enabled ? 1 : 0,
      JSON.stringify(d.trigger),
      json(d.conditions),
      JSON.stringify(d.actions),
      at,
      at,
    );
  }

  changeRule(id: string, d: AutomationDefinition, version: number, at: string, v: number): void {
    this.stmt(
      `UPDATE automation_rules SET name = ?, version = ?, trigger = ?, conditions = ?, actions = ?,
         updated_at = ?, stream_version = ? WHERE id = ? AND stream_version < ?`,
    ).run(
      d.name,
      version,
      JSON.stringify(d.trigger),
      json(d.conditions),
      JSON.stringify(d.actions),
      at,
      v,
      id,
      v,
    );
  }

  /** Turned on or off; a rule turned on again starts its count of failures in a row afresh. */
  setEnabled(id: string, enabled: boolean, reason: string | null, at: string, v: number): void {
    this.stmt(
      `UPDATE automation_rules SET enabled = ?, disabled_reason = ?, updated_at = ?, stream_version = ?,
         failures_in_a_row = CASE WHEN ? = 1 THEN 0 ELSE failures_in_a_row END
         WHERE id = ? AND stream_version < ?`,
    ).run(enabled ? 1 : 0, reason, at, v, enabled ? 1 : 0, id, v);
  }

  archiveRule(id: string, at: string, v: number): void {
    this.stmt(
      `UPDATE automation_rules SET archived = 1, enabled = 0, updated_at = ?, stream_version = ?
         WHERE id = ? AND stream_version < ?`,
    ).run(at, v, id, v);
  }

  /** A run as started, or started and ended when its end came with it (its row written once). */
  runStarted(
    run: Omit<RunRow, 'status' | 'effects' | 'conflicts' | 'error'>,
    position: number,
    end?: RunEnd,
  ): void {
    const inserted = this.stmt(
      `INSERT OR IGNORE INTO automation_runs
         (id, position, rule_id, rule_version, status, started_at, trigger_position, trigger_event_id, record_id, chain, effects, conflicts, error)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      run.id,
      position,
      run.rule_id,
      run.rule_version,
      end?.status ?? 'running',
      run.started_at,
      run.trigger_position,
      run.trigger_event_id,
      run.record_id,
      run.chain,
      JSON.stringify(end?.effects ?? []),
      JSON.stringify(end?.conflicts ?? []),
      end?.error ?? null,
    );
    // Counted once: an event applied again (a replay after a crash) inserts nothing.
    if (inserted.changes === 0) return;
    this.stmt(`UPDATE automation_rules SET last_run_at = ?, runs = runs + 1 WHERE id = ?`).run(
      run.started_at,
      run.rule_id,
    );
    if (end) this.countEnd(run.rule_id, end);
  }

  runEnded(runId: string, ruleId: string, end: RunEnd): void {
    const ended = this.stmt(
      `UPDATE automation_runs SET status = ?, effects = ?, conflicts = ?, error = ?
       WHERE id = ? AND status = 'running'`,
    ).run(
      end.status,
      JSON.stringify(end.effects ?? []),
      JSON.stringify(end.conflicts ?? []),
      end.error ?? null,
      runId,
    );
    if (ended.changes > 0) this.countEnd(ruleId, end);
  }

  /** The rule's count of failures, in a row and in all, after a run ended. */
  private countEnd(ruleId: string, end: RunEnd): void {
    if (end.status === 'failed')
      this.stmt(
        `UPDATE automation_rules SET failures = failures + 1, failures_in_a_row = failures_in_a_row + 1,
         last_error = ? WHERE id = ?`,
      ).run(end.error ?? null, ruleId);
    else if (end.status === 'succeeded')
      this.stmt(`UPDATE automation_rules SET failures_in_a_row = 0 WHERE id = ?`).run(ruleId);
  }

  markRolledBack(runId: string): void {
    this.stmt(`UPDATE automation_runs SET status = 'rolled_back' WHERE id = ?`).run(runId);
  }

  run(id: string): AutomationRun | undefined {
    const row = this.stmt(`SELECT * FROM automation_runs WHERE id = ?`).get(id) as
      RunRow | undefined;
    return row && toRun(row);
  }

  /** The rules in the causation chain of a run (its own rule last). */
  chainOf(runId: string): string[] | undefined {
    const row = this.stmt(`SELECT chain, rule_id FROM automation_runs WHERE id = ?`).get(runId) as
      { chain: string; rule_id: string } | undefined;
    return row && [...(JSON.parse(row.chain) as string[]), row.rule_id];
  }

  /** Newest first, before a log position. */
  runs(filter: {
    rule_id?: string;
    status?: string;
    before?: number;
    limit: number;
  }): AutomationRun[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.rule_id !== undefined) {
      where.push('rule_id = ?');
      args.push(filter.rule_id);
    }
    if (filter.status !== undefined) {
      where.push('status = ?');
      args.push(filter.status);
    }
    if (filter.before !== undefined) {
      where.push('position < ?');
      args.push(filter.before);
    }
    const sql = `SELECT * FROM automation_runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY position DESC LIMIT ?`;
    return (this.stmt(sql).all(...args, filter.limit) as RunRow[]).map(toRun);
  }

  isList(name: string): boolean {
    if ((BUILT_IN_LISTS as readonly string[]).includes(name)) return true;
    return this.stmt(`SELECT 1 FROM membership_lists WHERE list = ?`).get(name) !== undefined;
  }

  /** The built-in lists, then the fund's in the order they were added. */
  lists(): { list: string; name: string; built_in: boolean }[] {
    const added = this.stmt(
      `SELECT list, name FROM membership_lists ORDER BY created_at, list`,
    ).all() as {
      list: string;
      name: string;
    }[];
    return [
      ...BUILT_IN_LISTS.map((list) => ({ list, name: BUILT_IN_LIST_NAMES[list], built_in: true })),
      ...added.map((l) => ({ ...l, built_in: false })),
    ];
  }

  listsVersion(): number {
    return this.stmt(`SELECT COUNT(*) FROM membership_lists`).pluck().get() as number;
  }

  addList(list: string, name: string, at: string): void {
    this.stmt(
      `INSERT OR IGNORE INTO membership_lists (list, name, created_at) VALUES (?, ?, ?)`,
    ).run(list, name, at);
  }

  membership(recordId: string): MembershipState {
    const lists = this.stmt(`SELECT list FROM fundraising_memberships WHERE record_id = ?`).all(
      recordId,
    ) as { list: string }[];
    const v = this.stmt(`SELECT version FROM membership_streams WHERE record_id = ?`).get(
      recordId,
    ) as { version: number } | undefined;
    return { lists: new Set(lists.map((l) => l.list)), version: v?.version ?? 0 };
  }

  memberships(filter: { list?: string; record_id?: string }, limit: number): Membership[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.list !== undefined) {
      where.push('list = ?');
      args.push(filter.list);
    }
    if (filter.record_id !== undefined) {
      where.push('record_id = ?');
      args.push(filter.record_id);
    }
    const sql = `SELECT record_id, list, since, source, rule_id, run_id FROM fundraising_memberships
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY since, record_id, list LIMIT ?`;
    return this.stmt(sql).all(...args, limit) as Membership[];
  }

  addMembership(m: Membership & { table_id: string }, v: number): void {
    this.stmt(
      `INSERT OR REPLACE INTO fundraising_memberships (record_id, list, table_id, since, source, rule_id, run_id)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(m.record_id, m.list, m.table_id, m.since, m.source, m.rule_id, m.run_id);
    this.streamAt(m.record_id, v);
  }

  removeMembership(recordId: string, list: string, v: number): void {
    this.stmt(`DELETE FROM fundraising_memberships WHERE record_id = ? AND list = ?`).run(
      recordId,
      list,
    );
    this.streamAt(recordId, v);
  }

  private streamAt(recordId: string, v: number): void {
    this.stmt(
      `INSERT INTO membership_streams (record_id, version) VALUES (?, ?)
         ON CONFLICT (record_id) DO UPDATE SET version = MAX(version, excluded.version)`,
    ).run(recordId, v);
  }
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

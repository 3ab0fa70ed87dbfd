import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../database/database';

export type ProcessorStatus = 'running' | 'paused' | 'failed';

/** A processor's row: how far it has handled the log, and whether it runs. */
export interface ProcessorCheckpoint {
  name: string;
  position: number;
  status: ProcessorStatus;
  /** Failures of the event after `position` in a row; 0 once it is handled. */
  failures: number;
  last_error: string | null;
  last_error_at: string | null;
}

/** The `processor_checkpoints` table. */
export class ProcessorCheckpointsRepository {
  private readonly find: Statement;
  private readonly save: Statement;

  constructor(db: Sqlite) {
    this.find = db.prepare(
      'SELECT name, position, status, failures, last_error, last_error_at FROM processor_checkpoints WHERE name = ?',
    );
    this.save = db.prepare(`INSERT INTO processor_checkpoints
      (name, position, status, failures, last_error, last_error_at, updated_at)
      VALUES (@name, @position, @status, @failures, @last_error, @last_error_at, @updated_at)
      ON CONFLICT (name) DO UPDATE SET position = excluded.position, status = excluded.status,
        failures = excluded.failures, last_error = excluded.last_error,
        last_error_at = excluded.last_error_at, updated_at = excluded.updated_at`);
  }

  /** The stored row, or a new processor's: at the start of the log, running. */
  load(name: string): ProcessorCheckpoint {
    return (
      (this.find.get(name) as ProcessorCheckpoint | undefined) ?? {
        name,
        position: 0,
        status: 'running',
        failures: 0,
        last_error: null,
        last_error_at: null,
      }
    );
  }

  saveAll(rows: readonly ProcessorCheckpoint[], at: string): void {
    for (const row of rows) this.save.run({ ...row, updated_at: at });
  }
}

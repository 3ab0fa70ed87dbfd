import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DiskRoom } from '../../infrastructure/database/disk-room';
import { UnitOfWork } from '../../infrastructure/database/unit-of-work';
import { CommitSignal } from '../../infrastructure/processing/commit-signal';
import { FormulaBacklog, SLICE_MS, SLICE_RECORDS } from './projectors/formula-backlog';

/**
 * Works the formula backlog off after commits: one slice per turn of the event loop, each in a short
 * write transaction of its own (waiting for another process's lock like any write), so edits are
 * served between slices, and commit before the next. Woken by the commit signal and at start (a recompute a restart cut short goes
 * on where it stopped); stops taking slices when the app shuts down.
 */
/** Turns the runner lets queued edits have between two slices; then it takes the next slice anyway. */
const OTHERS_FIRST_TURNS = 2;

@Injectable()
export class FormulaBacklogRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private running: Promise<void> | null = null;
  private stopped = false;
  private unsubscribe: (() => void) | null = null;
  private readonly listeners = new Set<(tableId: string) => void>();

  constructor(
    private readonly backlog: FormulaBacklog,
    private readonly uow: UnitOfWork,
    @Inject(CommitSignal) private readonly signal: CommitSignal,
    private readonly disk: DiskRoom,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.signal.subscribe(() => this.wake());
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    await this.running;
  }

  /** `listener` hears of each table whose recompute is done (its records all show new values). */
  onDone(listener: (tableId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts working the backlog off unless it is empty or being worked already. */
  wake(): void {
    if (this.running || this.stopped || !this.backlog.hasWork()) return;
    // With the disk nearly full, people's writes come first; a later commit wakes this again.
    if (!this.disk.forDerivedWork()) return;
    this.running = this.work().finally(() => {
      this.running = null;
    });
  }

  /** Resolves once the backlog is empty (tests and tools that wait for the values). */
  async idle(): Promise<void> {
    this.wake();
    while (this.running) await this.running;
  }

  private async work(): Promise<void> {
    for (;;) {
      const [table] = this.backlog.tables();
      if (table === undefined || this.stopped) return;
      let done: boolean;
      try {
        done = await this.uow.writeDerived(() =>
          this.backlog.slice(table, SLICE_RECORDS, SLICE_MS),
        );
      } catch {
        // The database is busy or closing: the next commit or start wakes the backlog again.
        return;
      }
      if (done) for (const listener of this.listeners) listener(table);
      if (!this.disk.forDerivedWork()) return;
      // People's edits that arrived during the slice commit before the next one.
      await this.uow.othersFirst(OTHERS_FIRST_TURNS);
    }
  }
}

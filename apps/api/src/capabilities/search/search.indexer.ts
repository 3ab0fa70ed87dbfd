import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { DiskRoom } from '../../infrastructure/database/disk-room';
import { UnitOfWork } from '../../infrastructure/database/unit-of-work';
import { SqliteEventStore } from '../../infrastructure/event-store/sqlite-event-store';
import { CommitSignal } from '../../infrastructure/processing/commit-signal';
import { SEARCH_EVENT_TYPES, SearchProjector } from './search.projector';
import { SearchRepository } from './search.repository';

/** Events read at a time, and the time after which a step stops early: writers wait no longer. */
const READ_EVENTS = 32;
const STEP_MS = 1;
/**
 * The indexer's share of the thread while it catches up: this much indexing per GATHER_MS, in steps
 * with the requests queued meanwhile served between them. One step of the whole share held every
 * edit that arrived during it for 4 ms: a sixth of the slowest edits' time under a steady load.
 */
const SHARE_MS = 4;
/**
 * After a commit the indexer waits this long before it reads: the commits of that time are indexed
 * in one transaction (one fsync) instead of one each, which the edits' own fsyncs would queue behind.
 * A search does not wait for it: it wakes the indexer itself.
 */
const GATHER_MS = 100;
/** With the disk nearly full the index waits (see DiskRoom), looking again this often. */
const NO_ROOM_RETRY_MS = 5_000;

/**
 * Keeps the search index from the log after each commit, off the write path: an import of a
 * hundred thousand rows commits at its own speed and is indexed after it, a step at a time, each
 * step a short transaction that also moves the checkpoint (so an event is indexed once, crash or
 * not). A search waits, briefly, for the index to reach what was committed before it.
 */
@Injectable()
export class SearchIndexer implements OnApplicationBootstrap, OnModuleDestroy {
  private running: Promise<void> | null = null;
  private stopped = false;
  private unsubscribe: (() => void) | null = null;
  private gathering: NodeJS.Timeout | null = null;
  /** Searches waiting for the index to reach their position. */
  private waiting = 0;

  constructor(
    private readonly index: SearchRepository,
    private readonly projector: SearchProjector,
    private readonly store: SqliteEventStore,
    private readonly uow: UnitOfWork,
    @Inject(CommitSignal) private readonly signal: CommitSignal,
    private readonly disk: DiskRoom,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.signal.subscribe(() => this.wakeSoon());
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.gathering) clearTimeout(this.gathering);
    await this.running;
  }

  /** Wakes the indexer once the commits of the next `ms` have come in. */
  private wakeSoon(ms = GATHER_MS): void {
    if (this.gathering || this.stopped) return;
    this.gathering = setTimeout(() => {
      this.gathering = null;
      try {
        this.wake();
      } catch {
        // The database is busy or closed (the app stopping): the next commit or start wakes it.
      }
    }, ms);
    this.gathering.unref();
  }

  /** How far behind the log the index is. */
  lag(): number {
    return this.store.lastPosition() - this.index.checkpoint();
  }

  /** Resolves once the index has read `position` (or after `timeoutMs`, with false). */
  async reached(position: number, timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    this.waiting++;
    try {
      for (;;) {
        if (this.index.checkpoint() >= position) return true;
        if (Date.now() >= until || this.stopped || !this.disk.forDerivedWork()) return false;
        this.wake();
        await nextTurn();
      }
    } finally {
      this.waiting--;
    }
  }

  wake(): void {
    if (this.running || this.stopped || this.index.checkpoint() >= this.store.lastPosition())
      return;
    if (!this.disk.forDerivedWork()) return this.wakeSoon(NO_ROOM_RETRY_MS);
    this.running = this.work().finally(() => {
      this.running = null;
    });
  }

  private async work(): Promise<void> {
    let spent = 0;
    while (!this.stopped) {
      let more: boolean;
      const started = performance.now();
      try {
        more = await this.uow.writeDerived(() => this.step());
      } catch {
        // Busy or closing: the next commit or start wakes the indexer again.
        return;
      }
      if (!more) return;
      if (!this.disk.forDerivedWork()) return this.wakeSoon(NO_ROOM_RETRY_MS);
      spent += performance.now() - started;
      // A search waiting for the index gets every turn; otherwise SHARE_MS per GATHER_MS, so that
      // catching up after a large import takes a small share of the server's thread.
      if (this.waiting > 0 || spent < SHARE_MS) await this.uow.othersFirst();
      else {
        await sleep(GATHER_MS);
        spent = 0;
      }
    }
  }

  /**
   * Indexes the next events after the checkpoint, for about STEP_MS; true while there are more.
   * Only the events the index reads are read at all, a few at a time, so that a step's time goes
   * to indexing rather than to parsing events it has no time left for.
   */
  private step(): boolean {
    let from = this.index.checkpoint();
    const until = performance.now() + STEP_MS;
    for (;;) {
      const { events, through } = this.store.readOfTypes(from, SEARCH_EVENT_TYPES, READ_EVENTS);
      for (const e of events) {
        if (from !== this.index.checkpoint() && performance.now() > until) {
          this.index.setCheckpoint(from);
          return true;
        }
        this.projector.apply(e);
        from = e.position;
      }
      from = through;
      if (events.length < READ_EVENTS || performance.now() > until) break;
    }
    this.index.setCheckpoint(from);
    return from < this.store.lastPosition();
  }
}

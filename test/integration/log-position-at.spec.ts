import { CLOCK_STEPS_FROM_LOG } from '@crm/migrations';
import { LogRepository } from '../../apps/api/src/capabilities/history/log.repository';
import { newId } from '../../apps/api/src/infrastructure/clock';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { openTempCore, type TempCore } from '../support/temp-core';

describe('the log position at a moment', () => {
  let core: TempCore;
  // A clock that mostly runs forward but steps back now and then, as a corrected system clock does.
  const times = Array.from(
    { length: 300 },
    (_, i) => Date.UTC(2026, 0, 1) + (i % 37 === 20 ? i - 30 : i) * 60_000,
  );
  let tick = 0;
  beforeAll(async () => {
    core = await openTempCore('crm-position-at-', {
      clock: { now: () => new Date(times[Math.min(tick++, times.length - 1)]).toISOString() },
    });
    const inv = core.repo.tableByRole('investors')!;
    for (let i = 0; i < 250; i++) {
      await core.commands.applyChanges(
        [
          {
            op: 'create',
            table_id: inv.id,
            record_id: newId('rec'),
            values: { [inv.fields[0].id]: `LP ${i}` },
          },
        ],
        { actor: SYSTEM_ACTOR, source: 'grid' },
      );
    }
  });
  afterAll(async () => {
    await core.dispose();
  });

  it('is the greatest position recorded at or before it, whichever scan answers', async () => {
    const log = new LogRepository(core.db, core.store);
    const naive = (iso: string) =>
      (core.db
        .prepare('SELECT MAX(position) FROM events WHERE recorded_at <= ?')
        .pluck()
        .get(iso) as number | null) ?? 0;
    const stamps = core.store.readAll().map((e) => e.recorded_at);
    const moments = [
      ...stamps,
      ...stamps.map((s) => new Date(Date.parse(s) + 30_000).toISOString()),
      '2025-01-01T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
    ];
    expect(stamps.some((s, i) => i > 0 && s < stamps[i - 1])).toBe(true);
    for (const iso of moments) expect(log.positionAt(iso)).toBe(naive(iso));
  });

  it('is answered from the steps the migration finds in a log written before the store noted them', () => {
    const positions = () =>
      (
        core.db.prepare('SELECT from_position, to_position FROM event_clock_steps').all() as {
          from_position: number;
          to_position: number;
        }[]
      ).flatMap((r) =>
        Array.from({ length: r.to_position - r.from_position + 1 }, (_, k) => r.from_position + k),
      );
    // Given the steps the store noted as it appended
    const noted = positions();
    expect(noted.length).toBeGreaterThan(0);
    // When a log written before they were noted is migrated (the table emptied, then filled from the log)
    core.db.exec('DELETE FROM event_clock_steps');
    core.db.exec(CLOCK_STEPS_FROM_LOG);
    // Then the migration finds the same events, and positions are answered as before
    expect(positions()).toEqual(noted);
    const log = new LogRepository(core.db, core.store);
    for (const e of core.store.readAll())
      expect(log.positionAt(e.recorded_at)).toBe(
        core.db
          .prepare('SELECT MAX(position) FROM events WHERE recorded_at <= ?')
          .pluck()
          .get(e.recorded_at),
      );
  });
});

import Papa from 'papaparse';
import { exportCsv } from '../../apps/api/src/capabilities/imports/csv-export.query';
import { SYSTEM_ACTOR } from '../../apps/api/src/infrastructure/request-context/actor';
import { openTempCore, type TempCore } from '../support/temp-core';

const meta = { actor: { ...SYSTEM_ACTOR, id: 'usr_a', name: 'Ada' }, source: 'grid' as const };
const RECORDS = 12_000;

/**
 * A big export reads and writes in pieces and lets other requests in between; what it writes must
 * still be one moment of the table, whatever those requests change meanwhile.
 */
describe('CSV export of a big table', () => {
  let core: TempCore;
  beforeAll(async () => {
    core = await openTempCore('crm-export-snapshot-');
  }, 60_000);
  afterAll(() => core.dispose());

  it('is one moment of the table while records are created, edited and deleted during it', async () => {
    const inv = core.repo.tableByRole('investors')!;
    const name = inv.fields.find((f) => f.role === 'investor.name')!.id;
    const owner = inv.fields.find((f) => f.role === 'investor.notes')!.id;
    const id = (n: number) => `recExport${String(n).padStart(8, '0')}`;
    for (let start = 0; start < RECORDS; start += 2_000) {
      const changes = Array.from({ length: 2_000 }, (_, k) => ({
        op: 'create' as const,
        table_id: inv.id,
        record_id: id(start + k),
        values: { [name]: `LP ${start + k}`, [owner]: 'Ada' },
      }));
      await core.commands.applyChanges(changes, meta);
    }
    const before = core.store.lastPosition();

    // Starts reading; it stops at its first pause, after the first page of records.
    const started = exportCsv(core, { table_id: inv.id });
    let written = 0;
    const write = async () => {
      written++;
      await core.commands.applyChanges(
        [
          { op: 'set', record_id: id(11_000 - written), field_id: owner, from: 'Ada', to: 'Grace' },
          { op: 'archive', record_id: id(written) },
          {
            op: 'create',
            table_id: inv.id,
            record_id: id(50_000 + written),
            values: { [name]: `Late LP ${written}` },
          },
        ],
        meta,
      );
    };
    const interleave = setInterval(() => void write(), 0);
    const file = await started;
    const pieces: string[] = [];
    try {
      for await (const piece of file.chunks) pieces.push(piece);
    } finally {
      clearInterval(interleave);
    }

    // The writes really happened while the file was being made…
    expect(written).toBeGreaterThan(2);
    expect(core.store.lastPosition()).toBeGreaterThan(before);
    // …and none of them is in it.
    expect(file.version).toBe(before);
    const rows = Papa.parse<string[]>(pieces.join('').replace(/^\uFEFF/, ''), {
      skipEmptyLines: true,
    }).data;
    const header = rows.shift()!;
    expect(file.rows).toBe(RECORDS);
    expect(rows).toHaveLength(RECORDS);
    const nameAt = header.indexOf('Name');
    const ownerAt = header.indexOf('Notes');
    expect(rows.map((r) => r[nameAt])).toEqual(
      Array.from({ length: RECORDS }, (_, n) => `LP ${n}`),
    );
    expect(new Set(rows.map((r) => r[ownerAt]))).toEqual(new Set(['Ada']));
  }, 120_000);
});

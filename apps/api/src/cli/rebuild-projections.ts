import 'reflect-metadata';
import { loadConfig } from '../config/app-config';
import { openStore } from '../application';
import { ProjectionRunner } from '../infrastructure/projections/projection-runner';
import { SQLITE, type Sqlite } from '../infrastructure/database/database';
import { SearchRepository } from '../capabilities/search/search.repository';

/**
 * `npm run projections:rebuild`: truncates every read model and replays the log. The search index,
 * kept after commit, is emptied too: the server's indexer reads the whole log again when it starts.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const store = await openStore({
    databaseFile: config.databaseFile,
    busyTimeoutMs: config.busyTimeoutMs,
    seed: false,
  });
  const started = process.hrtime.bigint();
  const runner = store.get(ProjectionRunner);
  const { events, position } = await runner.rebuild();
  new SearchRepository(store.get<Sqlite>(SQLITE)).reset();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(
    `rebuilt ${runner.projectors.map((p) => p.name).join(', ')} from ${events} events (head ${position}) in ${ms.toFixed(0)} ms; the search index is read again when the server starts\n`,
  );
  await store.close();
}

main().catch((e) => {
  process.stderr.write(`rebuild failed: ${(e as Error).message}\n`);
  process.exit(1);
});

import 'reflect-metadata';
import { loadConfig } from '../config/app-config';
import { openStore } from '../application';
import { ProjectionRunner } from '../infrastructure/projections/projection-runner';

/** `npm run projections:rebuild`: truncates every read model and replays the log. */
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
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(
    `rebuilt ${runner.projectors.map((p) => p.name).join(', ')} from ${events} events (head ${position}) in ${ms.toFixed(0)} ms\n`,
  );
  await store.close();
}

main().catch((e) => {
  process.stderr.write(`rebuild failed: ${(e as Error).message}\n`);
  process.exit(1);
});

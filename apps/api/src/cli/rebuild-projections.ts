import 'reflect-metadata';
import { loadConfig } from '../config/app-config';
import { openCore } from '../core';

/** `npm run projections:rebuild`: truncates every read model and replays the log. */
async function main(): Promise<void> {
  const config = loadConfig();
  const core = await openCore({
    databaseFile: config.databaseFile,
    busyTimeoutMs: config.busyTimeoutMs,
    seed: false,
  });
  const started = process.hrtime.bigint();
  const { events, position } = core.runner.rebuild();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(
    `rebuilt ${core.runner.projectors.map((p) => p.name).join(', ')} from ${events} events (head ${position}) in ${ms.toFixed(0)} ms\n`,
  );
  await core.close();
}

main().catch((e) => {
  process.stderr.write(`rebuild failed: ${(e as Error).message}\n`);
  process.exit(1);
});

'use strict';
// The built server with two no-op processors, for the processor-lag rows: each notes when its
// handle is called for each log position (an absolute clock shared with the bench process) and
// writes those times to BENCH_PROCESSOR_LOG when the server exits.
require('reflect-metadata');
const { writeFileSync } = require('node:fs');
const path = require('node:path');

const dist = path.join(__dirname, '..', '..', 'apps', 'api', 'dist');
const { createApp } = require(path.join(dist, 'app.factory'));
const { loadConfig } = require(path.join(dist, 'config', 'app-config'));
const { ProcessorRunner } = require(
  path.join(dist, 'infrastructure', 'processing', 'processor-runner'),
);

const clock = () => performance.timeOrigin + performance.now();
const calls = { 'no-op-a': {}, 'no-op-b': {} };
const noOp = (name) => ({
  name,
  handle: async (event) => {
    calls[name][event.position] = clock();
  },
});

async function main() {
  const config = loadConfig();
  const app = await createApp(config, { logger: false });
  // Closed by hand rather than by Nest's shutdown hooks, which end the process by the signal again.
  process.once('SIGINT', () => {
    app
      .close()
      .then(() => writeFileSync(process.env.BENCH_PROCESSOR_LOG, JSON.stringify(calls)))
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  });
  const runner = app.get(ProcessorRunner);
  for (const name of Object.keys(calls)) runner.register(noOp(name));
  await app.listen(config.port, config.host);
}

main().catch((e) => {
  process.stderr.write(`failed to start: ${e.stack ?? e}\n`);
  process.exit(1);
});

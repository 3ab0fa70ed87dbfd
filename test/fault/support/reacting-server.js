// The built server (as apps/api/dist/main.js starts it) with one extra processor, for the crash
// test only: for every investor record created, it creates one follow-up contact. Creating a new
// record is not idempotent by itself, so a reaction run twice would show as two contacts caused by
// one event; only the processor's idempotency key can keep a redelivery from doubling it.
require('reflect-metadata');
const { join } = require('node:path');
const { decideChanges } = require('@crm/domain');

const dist = join(__dirname, '..', '..', '..', 'apps', 'api', 'dist');
const { createApp } = require(join(dist, 'app.factory'));
const { loadConfig } = require(join(dist, 'config', 'app-config'));
const { FundraisingCommands, FundraisingRepository } = require(
  join(dist, 'capabilities', 'fundraising'),
);
const { newId } = require(join(dist, 'infrastructure', 'clock'));
const { ProcessorRunner } = require(join(dist, 'infrastructure', 'processing', 'processor-runner'));

function followUps(repo, commands) {
  const table = (role) => repo.tables().find((t) => t.role === role);
  return {
    name: 'follow-up-contacts',
    types: ['RecordCreated'],
    async handle(event, ctx) {
      const investors = table('investors');
      if (event.data.table_id !== investors.id) return;
      const contacts = table('contacts');
      const nameField = contacts.fields.find((f) => f.role === 'contact.name');
      await ctx.execute({ source: 'automation' }, async (scope) => {
        const decision = decideChanges(
          {
            changes: [
              {
                op: 'create',
                table_id: contacts.id,
                record_id: newId('rec'),
                values: { [nameField.id]: `Follow-up of ${event.data.record_id}` },
              },
            ],
            at: scope.at,
            actor_id: scope.meta.actor.id,
          },
          commands.ctx,
        );
        await scope.append(decision);
        return { version: scope.position() };
      });
    },
  };
}

async function main() {
  const config = loadConfig();
  const app = await createApp(config);
  app.enableShutdownHooks();
  app
    .get(ProcessorRunner)
    .register(followUps(app.get(FundraisingRepository), app.get(FundraisingCommands)));
  await app.listen(config.port, config.host);
}

main().catch((e) => {
  process.stderr.write(`failed to start: ${e.stack ?? e}\n`);
  process.exit(1);
});

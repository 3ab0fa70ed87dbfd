/** What other capabilities may use of the fundraising base: its store module, repository and commands. */
export { FundraisingStoreModule, seedDefaultBase, syncLinkSides } from './fundraising-store.module';
export { FundraisingRepository } from './fundraising.repository';
export { GridQueries } from './queries/grid.queries';
export { FundraisingCommands, type CommandMeta, type Decided } from './fundraising.commands';
export { FormulaBacklog } from './projectors/formula-backlog';

/** What other capabilities may use of automations: the rules' and memberships' commands. */
export { AutomationsModule } from './automations.module';
export { AutomationCommands } from './automation.commands';

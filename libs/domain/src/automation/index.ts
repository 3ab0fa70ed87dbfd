export * from './automation.state';
export * from './automation.evolve';
export * from './rule-validate';
export * from './trigger-match';
export * from './run-plan';
export * from './decide/rule-commands.decide';
export * from './decide/set-membership.decide';
export * from './describe-automation';

export * from './reminder.state';
export * from './reminder.evolve';
export * from './follow-up-input';
export * from './follow-up.derive';
export * from './decide/create-reminder.decide';
export * from './decide/change-reminder.decide';
export * from './decide/reminder-status.decide';
export * from './decide/log-interaction.decide';

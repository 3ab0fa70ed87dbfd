/**
 * What other capabilities may use of reminders: their commands (an automation's create_reminder)
 * and the follow-up part of an undo or a restore.
 */
export { RemindersModule } from './reminders.module';
export { ReminderCommands } from './reminder.commands';
export { FollowUpUndo, type FollowUpTakenBack } from './follow-up-undo';

/** What other capabilities may use of reminders: their commands (an automation's create_reminder). */
export { RemindersModule } from './reminders.module';
export { ReminderCommands } from './reminder.commands';

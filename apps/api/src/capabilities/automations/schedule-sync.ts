import { Injectable } from '@nestjs/common';
import type { AutomationSchedules } from './automation-schedules';

/**
 * Lets the controller ask for new schedule jobs after a rule changes, without holding the whole
 * scheduling machinery: the module attaches the schedules once they exist.
 */
@Injectable()
export class ScheduleSync {
  private schedules: AutomationSchedules | null = null;

  attach(schedules: AutomationSchedules): void {
    this.schedules = schedules;
  }

  sync(): void {
    this.schedules?.sync();
  }
}

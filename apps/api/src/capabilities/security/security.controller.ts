import { Controller, Get, Inject, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Roles } from '../auth/index';
import { SecurityStatus } from './security-status';
import { CLOCK, type Clock } from '../../infrastructure/clock';

@Controller('security')
@Roles('admin')
export class SecurityController {
  constructor(
    private readonly status: SecurityStatus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('status')
  get(@Req() req: Request) {
    return { checks: this.status.checks({ secure: req.secure, now: this.clock.now() }) };
  }
}

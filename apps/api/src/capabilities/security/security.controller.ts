import { Controller, Get, Inject, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Core, CORE } from '../../core';
import { Roles } from '../auth/index';
import { SecurityStatus } from './security-status';

@Controller('security')
@Roles('admin')
export class SecurityController {
  constructor(
    private readonly status: SecurityStatus,
    @Inject(CORE) private readonly core: Core,
  ) {}

  @Get('status')
  get(@Req() req: Request) {
    return { checks: this.status.checks({ secure: req.secure, now: this.core.clock.now() }) };
  }
}

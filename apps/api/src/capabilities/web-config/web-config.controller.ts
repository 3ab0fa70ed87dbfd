import { Controller, Get, Inject } from '@nestjs/common';
import type { WebConfig } from '@crm/contracts';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Roles } from '../auth/index';

/**
 * Settings the browser needs at run time. The Handsontable licence key is served, never built into the
 * bundle, so a fund swaps the evaluation key for its commercial one without rebuilding.
 */
@Controller('config')
@Roles('member', 'admin')
export class WebConfigController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('web')
  web(): WebConfig {
    return { handsontable_license_key: this.config.handsontableLicenseKey };
  }
}

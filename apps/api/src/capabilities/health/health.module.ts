import { BackupsStoreModule } from '../backups';
import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';

@Module({ imports: [BackupsStoreModule], controllers: [HealthController] })
export class HealthModule {}

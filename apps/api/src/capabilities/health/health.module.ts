import { BackupsStoreModule } from '../backups';
import { SearchModule } from '../search';
import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';

@Module({ imports: [BackupsStoreModule, SearchModule], controllers: [HealthController] })
export class HealthModule {}

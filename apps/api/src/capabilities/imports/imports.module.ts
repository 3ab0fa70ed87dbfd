import { FundraisingStoreModule } from '../fundraising';
import { UsersStoreModule } from '../users';
import { Module } from '@nestjs/common';
import { CsvExportController } from './csv-export.controller';
import { ImportsController } from './imports.controller';
import { importsProviders } from './imports.providers';

/** CSV in and out: Airtable imports that can be repeated, and exports that are safe to open. */
@Module({
  imports: [FundraisingStoreModule, UsersStoreModule],
  controllers: [ImportsController, CsvExportController],
  providers: importsProviders,
})
export class ImportsModule {}

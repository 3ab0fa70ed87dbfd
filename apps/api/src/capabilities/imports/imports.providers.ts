import { type Provider } from '@nestjs/common';
import { type Core, CORE } from '../../core';
import { ImportSessions } from './import-sessions.service';
import { ImportsRepository } from './imports.repository';

export const IMPORT_SESSIONS = Symbol('IMPORT_SESSIONS');

export const importsProviders: Provider[] = [
  {
    provide: IMPORT_SESSIONS,
    inject: [CORE],
    useFactory: (core: Core) => new ImportSessions(core, new ImportsRepository(core.db)),
  },
];

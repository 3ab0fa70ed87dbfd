import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { Core, CORE, openCore } from './core';

@Global()
@Module({
  providers: [
    {
      provide: CORE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        openCore({
          databaseFile: config.databaseFile,
          busyTimeoutMs: config.busyTimeoutMs,
          serving: true,
        }),
    },
  ],
  exports: [CORE],
})
export class CoreModule implements OnApplicationShutdown {
  constructor(@Inject(CORE) private readonly core: Core) {}

  async onApplicationShutdown(): Promise<void> {
    await this.core.close();
  }
}

import { Module } from '@nestjs/common';
import { ApiDocs } from './api-docs';
import { ApiDocsController } from './api-docs.controller';

/** The API's OpenAPI document and its Swagger UI, under /api/docs and /api/openapi.json. */
@Module({
  controllers: [ApiDocsController],
  providers: [ApiDocs],
  exports: [ApiDocs],
})
export class ApiDocsModule {}

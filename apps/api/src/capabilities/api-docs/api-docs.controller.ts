import { dirname, join } from 'node:path';
import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import { type OpenAPIObject } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../auth/index';
import { ApiDocs } from './api-docs';
import { DOCS_INIT_SCRIPT, DOCS_PAGE } from './docs-page';

/** The files of Swagger UI the page loads, from the package on disk: nothing from another host. */
const UI_FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/**
 * The API's documentation: the OpenAPI document and Swagger UI over it. Signed-in people only: the
 * document maps every route of a server that may face the internet, and whoever calls the API
 * holds an account (a token is made by one). The web app's session cookie reaches these pages, so a
 * signed-in person opens them from the app; a script fetches the document with its token.
 */
@Controller()
@Roles('member', 'admin')
export class ApiDocsController {
  private readonly uiDir = dirname(require.resolve('swagger-ui-dist/package.json'));

  constructor(private readonly docs: ApiDocs) {}

  @Get('openapi.json')
  document(): Promise<OpenAPIObject> {
    return this.docs.document();
  }

  @Get('docs')
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return DOCS_PAGE;
  }

  @Get('docs/assets/:file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    if (file === 'docs-init.js') {
      res.type('text/javascript; charset=utf-8').send(DOCS_INIT_SCRIPT);
      return;
    }
    const type = Object.hasOwn(UI_FILES, file) ? UI_FILES[file] : undefined;
    if (!type) throw new NotFoundException(`no documentation file ${file}`);
    res.type(type).sendFile(join(this.uiDir, file));
  }
}

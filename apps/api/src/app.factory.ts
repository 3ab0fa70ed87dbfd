import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type ArgumentMetadata, BadRequestException, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { ApiDocs } from './capabilities/api-docs/api-docs';
import { buildOpenApiDocument, withSummaries } from './capabilities/api-docs/openapi-document';
import { APP_VERSION } from './capabilities/backups/app-version';
import { type AppConfig } from './config/app-config';
import { withSecretKey } from './config/secret-key';
import { ErrorFilter, errorBody, toErrorBody } from './infrastructure/http/error-filter';
import { applySecurityMiddleware } from './infrastructure/http/security-middleware';
import { requireUtf8Body } from './infrastructure/http/utf8-body';
import { BootLogger } from './infrastructure/logging/boot-logger';
import { createRootLogger } from './infrastructure/logging/root-logger';
import { requestLogging } from './infrastructure/logging/request-logging';

/** Builds the HTTP app (API under /api, the web build at /); main.ts and the API tests share it. */
export async function createApp(
  config: AppConfig,
  options: { logger?: boolean } = {},
): Promise<NestExpressApplication> {
  config = withSecretKey(config);
  const root = createRootLogger(options.logger === false ? 'silent' : config.logLevel, config.env);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, root), {
    bodyParser: false,
    // A start that fails (a failed upgrade) reaches main.ts, which says why without a stack trace.
    abortOnError: false,
    logger: options.logger === false ? false : new BootLogger(root),
  });
  // nestjs-pino's Logger: Nest's lines through the same pino logger, with the request id inside a request.
  if (options.logger !== false)
    app.useLogger(new Logger(new PinoLogger({ pinoHttp: { logger: root } }), {}));
  // First of all, so that every answer is logged, those of the body parser and the 415 check too.
  app.use(requestLogging(root));
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('etag', false);
  app.setGlobalPrefix('api');
  applySecurityMiddleware(app, config);

  // JSON only, with a stated limit; parse errors and oversize bodies become clear 4xx answers.
  app.use('/api', requireJson);
  app.use(
    '/api',
    express.json({
      limit: config.bodyLimitBytes,
      strict: true,
      type: ['application/json', 'application/*+json'],
      reviver: refuseProtoKeys,
      verify: requireUtf8Body,
    }),
  );
  app.use('/api', (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.useGlobalFilters(new ErrorFilter());
  app.useGlobalPipes(
    new RequestValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      exceptionFactory: (errors) =>
        new BadRequestException({
          message: flatten(errors).join('; '),
          reason: 'validation_failed',
          details: { fields: flattenFields(errors) },
        }),
    }),
  );
  app
    .get(ApiDocs)
    .useBuilder(async () => withSummaries(await buildOpenApiDocument(app, APP_VERSION)));
  serveWeb(app, config);
  // Errors thrown by express middleware (body parser) before Nest routes.
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const { body, headers } = toErrorBody(err);
    for (const [k, v] of Object.entries(headers ?? {})) res.setHeader(k, v);
    res.status(body.statusCode).json(body);
  });
  return app;
}

/** Nest's ValidationPipe, with a plain pass for bodies of DTOs that can vouch for them (see ChangesDto). */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = metadata.metatype as { isPlainlyValid?: (v: unknown) => boolean } | undefined;
    if (metadata.type === 'body' && dto?.isPlainlyValid?.(value)) return value;
    return super.transform(value, metadata);
  }
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Keys that could reach an object's prototype are refused outright rather than silently dropped. */
function refuseProtoKeys(key: string, value: unknown): unknown {
  if (FORBIDDEN_KEYS.has(key)) throw new SyntaxError(`forbidden key "${key}" in the request body`);
  return value;
}

function requireJson(req: Request, res: Response, next: NextFunction): void {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined ||
    (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
  if (
    hasBody &&
    ['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method) &&
    !req.is('application/json') &&
    !req.is('application/*+json') &&
    !req.is('multipart/form-data')
  ) {
    res
      .status(415)
      .json(errorBody(415, 'unsupported_media_type', 'send the body as application/json'));
    return;
  }
  next();
}

function serveWeb(app: NestExpressApplication, config: AppConfig): void {
  const dist = config.webDist;
  if (!dist || !existsSync(join(dist, 'index.html'))) return;
  const assets = express.static(dist, {
    index: false,
    maxAge: '1h',
    setHeaders: (res, path) => path.endsWith('.html') && res.setHeader('Cache-Control', 'no-cache'),
  });
  // No file is looked for under /api: the static handler would ask the disk about every API read.
  const isApi = (req: Request) => req.path === '/api' || req.path.startsWith('/api/');
  app.use((req: Request, res: Response, next: NextFunction) =>
    isApi(req) ? next() : assets(req, res, next),
  );
  // The single-page app owns every other GET path.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || isApi(req)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(dist, 'index.html'));
  });
}

interface VError {
  property: string;
  constraints?: Record<string, string>;
  children?: VError[];
}

function flatten(errors: VError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix
      ? /^\d+$/.test(e.property)
        ? `${prefix}[${e.property}]`
        : `${prefix}.${e.property}`
      : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) =>
      m.startsWith(e.property) ? `${path}${m.slice(e.property.length)}` : `${path}: ${m}`,
    );
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

function flattenFields(errors: VError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix
      ? /^\d+$/.test(e.property)
        ? `${prefix}[${e.property}]`
        : `${prefix}.${e.property}`
      : e.property;
    return e.constraints
      ? [path, ...flattenFields(e.children ?? [], path)]
      : flattenFields(e.children ?? [], path);
  });
}

import { type NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { type AppConfig } from '../../config/app-config';

/** Headers the API accepts from a listed cross-origin caller. */
const CORS_HEADERS = [
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  'X-Requested-With',
  'Last-Event-ID',
];

/**
 * Security headers (helmet), the cookie parser and CORS, for the API and the web app alike.
 * CORS answers only origins listed in CRM_CORS_ORIGIN, exactly (scheme, host and port); any other
 * origin, `null` included, gets no CORS headers at all. Same-origin use needs no setting.
 */
export function applySecurityMiddleware(app: NestExpressApplication, config: AppConfig): void {
  const https = config.env === 'production' || (config.publicUrl?.startsWith('https:') ?? false);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'self'"],
          'base-uri': ["'none'"],
          'object-src': ["'none'"],
          'frame-ancestors': ["'none'"],
          'form-action': ["'self'"],
          'script-src': ["'self'"],
          'script-src-attr': ["'none'"],
          // The grid sets inline style attributes on cells; styles cannot run code.
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:', 'blob:'],
          'font-src': ["'self'", 'data:'],
          'connect-src': ["'self'"],
          'worker-src': ["'self'", 'blob:'],
          ...(config.publicUrl?.startsWith('https:') ? { 'upgrade-insecure-requests': [] } : {}),
        },
      },
      // HSTS only where the site is served over TLS; includeSubDomains could break other hosts of the fund's domain.
      strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
      referrerPolicy: { policy: 'no-referrer' },
      xFrameOptions: { action: 'deny' },
      crossOriginResourcePolicy: {
        policy: config.corsOrigins.length ? 'same-site' : 'same-origin',
      },
    }),
  );
  app.use(cookieParser());
  const allowed = new Set(config.corsOrigins);
  app.enableCors({
    origin: (
      origin: string | undefined,
      callback: (err: Error | null, origin?: string | false) => void,
    ) => {
      callback(null, origin !== undefined && allowed.has(origin) ? origin : false);
    },
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: CORS_HEADERS,
    exposedHeaders: ['Retry-After', 'Content-Disposition'],
    maxAge: 600,
  });
}

import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import metadata, { responses, schemas } from '../../openapi.metadata';
import { SESSION_COOKIE } from '../auth/index';

/** Words of a handler's name, for an operation without a summary of its own: `revokeInvite` → "revoke invite". */
const words = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

/**
 * The API's OpenAPI 3 document, generated from what Nest registered: every controller's routes,
 * their path and query parameters and their request DTOs. Operations are grouped by controller and
 * every one but the public ones states the two ways to sign in: the session (cookie or Bearer JWT)
 * and an API token (`Bearer crm_…`).
 */
export async function buildOpenApiDocument(
  app: INestApplication,
  version: string,
): Promise<OpenAPIObject> {
  // What the compiler plugin read from the sources (see apps/api/scripts/openapi-metadata.js).
  await SwaggerModule.loadPluginMetadata(metadata);
  const config = new DocumentBuilder()
    .setTitle('Venture CRM API')
    .setDescription(
      [
        'Every route is under `/api`. Scripts sign in with an API token (`Authorization: Bearer crm_…`),',
        'made on the API tokens page of the web app; a `read` token is refused every write (403',
        '`token_read_only`). Errors have the shape `{ statusCode, error, message, reason, details }`',
        'with a stable snake_case `reason`.',
      ].join(' '),
    )
    .setVersion(version)
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'an API token (crm_…) or a session token' },
      'bearer',
    )
    .addCookieAuth(
      SESSION_COOKIE,
      { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
      'session',
    )
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) =>
      `${controller.replace(/Controller$/, '')}_${method}`,
    autoTagControllers: true,
    extraModels: [],
  });
}

interface Operation {
  operationId?: string;
  summary?: string;
  responses?: Record<
    string,
    { description?: string; content?: Record<string, { schema?: object }> }
  >;
}

/**
 * Finishes the document: operations without a summary get one from their handler's name, and each
 * operation's success answer gets the schema of the wire type its handler returns (read from
 * libs/contracts by the metadata script), with those types as components.
 */
export function withSummaries(doc: OpenAPIObject): OpenAPIObject {
  doc.components = { ...doc.components, schemas: { ...schemas, ...doc.components?.schemas } };
  for (const item of Object.values(doc.paths))
    for (const op of Object.values(item) as Operation[]) {
      if (!op || typeof op !== 'object' || !op.operationId) continue;
      const [controller, method] = op.operationId.split('_');
      op.summary ??= words(method);
      const schema = responses[`${controller}Controller.${method}`];
      const ok = Object.entries(op.responses ?? {}).find(([status]) => status.startsWith('2'));
      if (schema && ok) ok[1].content = { 'application/json': { schema } };
    }
  return doc;
}

import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * The OpenAPI document, built from the controllers and DTOs on first request (a few hundred routes
 * take a moment to scan; start-up does not wait for it) and kept: routes do not change while the
 * process runs. The app factory hands it the builder, since only it holds the whole app.
 */
export class ApiDocs {
  private build?: () => Promise<OpenAPIObject>;
  private built?: Promise<OpenAPIObject>;

  useBuilder(build: () => Promise<OpenAPIObject>): void {
    this.build = build;
    this.built = undefined;
  }

  document(): Promise<OpenAPIObject> {
    if (!this.build) throw new Error('the API document has no builder: createApp sets one');
    this.built ??= this.build();
    return this.built;
  }
}

import {
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  PayloadTooLargeException,
} from '@nestjs/common';
import { LIMITS } from '@crm/domain';
import type { Request } from 'express';
import { Observable } from 'rxjs';

/** Room for the multipart envelope and the text fields around the file. */
const ENVELOPE_BYTES = 64 * 1024;

/**
 * Refuses an upload whose declared length is over the file limit before a byte of it is read; the
 * multipart parser enforces the same limit on the file itself for bodies sent without a length.
 */
@Injectable()
export class UploadLimitInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > LIMITS.importFileBytes + ENVELOPE_BYTES) {
      throw new PayloadTooLargeException({
        message: `the file is larger than the ${LIMITS.importFileBytes / 1024 / 1024} MB an import takes; split it and import the parts`,
        details: { limit_bytes: LIMITS.importFileBytes },
      });
    }
    return next.handle();
  }
}

/** The one door to the API: same-origin cookie, CSRF header on every call, errors as ApiError. */
import type { ErrorBody, ErrorReason } from '@crm/contracts';

/** A refusal of the API. Code matches on `status` and `reason`; `message` is for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly error = '',
    /** The server's machine-readable reason; null when the answer carried none (not JSON). */
    readonly reason: ErrorReason | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** From an error answer's status and parsed body (anything, when it was not an error body). */
  static of(status: number, body: unknown, fallback: string): ApiError {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Partial<ErrorBody>;
    return new ApiError(
      status,
      b.message ?? `${fallback} (${status})`,
      b.details ?? {},
      b.error ?? '',
      b.reason ?? null,
    );
  }
}

/** The server could not be reached (or answered from a gateway that could not reach it). */
export class NetworkError extends Error {
  constructor(message = 'the server cannot be reached') {
    super(message);
    this.name = 'NetworkError';
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called when any request answers 401, so the app can send the person to the login page. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** The session ended without a request failing (the live stream said so): same as a 401. */
export function reportUnauthorized(): void {
  for (const l of unauthorizedListeners) l();
}

export interface RequestOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Do not broadcast a 401 (the login form handles its own). */
  quiet401?: boolean;
}

let inFlight = 0;
let idleWaiters: (() => void)[] = [];

/** Resolves once no request of this tab is on its way (an answer may bring a new session cookie). */
export function whenIdle(): Promise<void> {
  return inFlight === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve));
}

export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'X-Requested-With': 'XMLHttpRequest',
    ...options.headers,
  };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  inFlight++;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: options.signal,
      cache: 'no-store',
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new NetworkError();
  } finally {
    if (--inFlight === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  }
  // A reverse proxy answers these when the API process is down or restarting.
  if (res.status === 502 || res.status === 503 || res.status === 504)
    throw new NetworkError(`the server is unavailable (${res.status})`);
  const text = await res.text().catch(() => '');
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (!res.ok) {
    if (res.status === 401 && !options.quiet401) reportUnauthorized();
    throw ApiError.of(res.status, json, 'request failed');
  }
  return json as T;
}

export const get = <T>(path: string, options?: RequestOptions) =>
  api<T>('GET', path, undefined, options);
export const post = <T>(path: string, body?: unknown, options?: RequestOptions) =>
  api<T>('POST', path, body ?? {}, options);
export const patch = <T>(path: string, body: unknown, options?: RequestOptions) =>
  api<T>('PATCH', path, body, options);
export const put = <T>(path: string, body: unknown, options?: RequestOptions) =>
  api<T>('PUT', path, body, options);
export const del = <T>(path: string, options?: RequestOptions) =>
  api<T>('DELETE', path, undefined, options);

import { reactive } from 'vue';
import { authApi } from '../../../app/auth/auth.api';
import { ApiError, reportUnauthorized, whenIdle } from '../../../app/http';
import { type LiveEvent } from '../api/fundraising.api';

export interface LiveHooks {
  onEvents(events: LiveEvent[]): void;
  /** The stream said we are too far behind to replay: load the state again. */
  onReload(): void;
  /** The stream is back after a break (the outbox may want to retry now). */
  onReconnect(): void;
  /** The server ended the stream because the sign-in it was opened with ended; `start()` goes on if this tab has a newer one. */
  onSessionEnded(): void;
}

/**
 * Other people's edits, as server-sent events after a log position. The browser reconnects by itself
 * and sends Last-Event-ID; positions already seen are dropped, so a replayed message never applies twice.
 */
export class LiveEvents {
  readonly state = reactive({ connected: false });
  private source: EventSource | null = null;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private broke = false;
  private stopped = false;

  constructor(
    private position: number,
    private readonly hooks: LiveHooks,
  ) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** After a full reload the stream restarts from the loaded version. */
  restart(position: number): void {
    this.position = position;
    this.source?.close();
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.source?.close();
    this.source = null;
    if (this.retry) clearTimeout(this.retry);
  }

  private connect(): void {
    if (this.stopped) return;
    const es = new EventSource(`/api/fundraising/events/stream?after=${this.position}`, {
      withCredentials: true,
    });
    this.source = es;
    es.onopen = () => {
      this.state.connected = true;
      if (this.broke) {
        this.broke = false;
        this.hooks.onReconnect();
      }
    };
    es.onmessage = (e: MessageEvent<string>) => {
      const msg = JSON.parse(e.data) as { last: number; events: LiveEvent[] };
      const fresh = msg.events.filter((ev) => ev.position > this.position);
      this.position = Math.max(this.position, msg.last);
      if (fresh.length) this.hooks.onEvents(fresh);
    };
    es.addEventListener('reload', (e) => {
      const { version } = JSON.parse((e as MessageEvent<string>).data) as { version: number };
      this.position = version;
      this.hooks.onReload();
    });
    // A large table's formula values, recomputed after a schema change: the base is read again.
    es.addEventListener('recomputed', () => this.hooks.onReload());
    es.addEventListener('session-ended', () => {
      // Reconnecting by itself would meet 401s every few seconds: stop, and let the app decide.
      this.stop();
      this.state.connected = false;
      this.broke = true;
      this.hooks.onSessionEnded();
    });
    es.onerror = () => {
      this.state.connected = false;
      this.broke = true;
      // CLOSED means the browser gave up (a 401 or a non-stream answer): try again ourselves, from our position.
      if (es.readyState === EventSource.CLOSED && !this.stopped) {
        if (this.retry) clearTimeout(this.retry);
        this.retry = setTimeout(() => this.connect(), 3000);
      }
    };
  }
}

/**
 * The server closed the live stream because the sign-in it was opened with ended. That is a sign-out
 * (elsewhere, by an admin) unless this very tab got a new session meanwhile (its own password
 * change): ask who we are, and go on streaming or send the person to sign in.
 */
export async function goOnIfStillSignedIn(live: LiveEvents): Promise<void> {
  try {
    // A request on its way (the password change itself) may still bring this tab's new cookie.
    await whenIdle();
    await authApi.me();
    live.start();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) reportUnauthorized();
    else live.start();
  }
}

import { watch } from 'vue';
import { downloadFile } from '../../../app/download';
import type { SaveQueue } from '../../fundraising/composables/save-queue';
import type { SavedView } from '../api/views.api';
import type { ViewSession } from './view-session';
import { readerZone } from '../view-engine';

/** How long a download waits for edits still on their way before it takes what the server has. */
const SAVE_WAIT_MS = 10_000;

export interface ViewDownload {
  fileName: string;
  rows: number | null;
  /** Edits not yet saved when the file was made (offline, say): they are not in it. */
  unsaved: number;
}

/**
 * The open view as a CSV file: its filters, sorts, field order and hidden fields, applied on the
 * server by the same domain code the grid runs. Changes to the view and edits still on their way are
 * sent first, so the file shows what the screen shows.
 */
export async function downloadViewCsv(
  views: ViewSession,
  queue: SaveQueue,
  table: { id: string; name: string },
  view: SavedView | undefined,
): Promise<ViewDownload> {
  const unsaved = await saveFirst(views, queue);
  const path = view
    ? `/api/fundraising/views/${encodeURIComponent(view.id)}/export.csv?tz=${encodeURIComponent(readerZone())}`
    : `/api/fundraising/tables/${encodeURIComponent(table.id)}/export.csv`;
  const file = await downloadFile(path, `${table.name}.csv`);
  const rows = Number(file.headers.get('X-Row-Count'));
  return { fileName: file.fileName, rows: Number.isInteger(rows) ? rows : null, unsaved };
}

/** The whole base as JSON: every table with its fields and records (archived ones flagged), and the views; values as stored. */
export async function downloadBaseJson(
  views: ViewSession,
  queue: SaveQueue,
): Promise<ViewDownload> {
  const unsaved = await saveFirst(views, queue);
  const file = await downloadFile('/api/fundraising/export', 'fundraising.json');
  return { fileName: file.fileName, rows: null, unsaved };
}

async function saveFirst(views: ViewSession, queue: SaveQueue): Promise<number> {
  queue.flushNow();
  await Promise.all([views.saveNow(), settled(queue, SAVE_WAIT_MS)]);
  return queue.state.pending;
}

/** Resolves once the outbox is empty, or cannot empty soon (offline, signed out, refused), or after `ms`. */
function settled(queue: SaveQueue, ms: number): Promise<void> {
  const stuck = ['offline', 'signed_out', 'error'];
  const done = () =>
    (queue.state.pending === 0 && queue.state.status !== 'saving') ||
    stuck.includes(queue.state.status);
  if (done()) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(finish, ms);
    const stop = watch(done, (ok) => ok && finish());
    function finish() {
      clearTimeout(timer);
      stop();
      resolve();
    }
  });
}

import { ApiError, NetworkError } from './http';

export interface Downloaded {
  fileName: string;
  headers: Headers;
}

/**
 * Fetches a file the API makes (an export) and hands it to the browser as a download under the name
 * the server gave it. Fetched rather than followed as a link, so that a refusal shows as a message
 * on the page instead of a failed download or a page of JSON.
 */
export async function downloadFile(path: string, fallbackName: string): Promise<Downloaded> {
  let res: Response;
  try {
    res = await fetch(path, {
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
  } catch {
    throw new NetworkError();
  }
  if (res.status === 502 || res.status === 503 || res.status === 504)
    throw new NetworkError(`the server is unavailable (${res.status})`);
  if (!res.ok) {
    throw ApiError.of(res.status, await res.json().catch(() => ({})), 'download failed');
  }
  const fileName = fileNameOf(res.headers.get('Content-Disposition')) ?? fallbackName;
  saveBlob(await res.blob(), fileName);
  return { fileName, headers: res.headers };
}

/** The name in a Content-Disposition header: the UTF-8 `filename*` when there is one, else `filename`. */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // A malformed escape: fall back to the plain name.
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(disposition);
  const name = (plain?.[1] ?? plain?.[2] ?? '').trim();
  return name || null;
}

function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The click has started the download; the URL can go once the browser has taken it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

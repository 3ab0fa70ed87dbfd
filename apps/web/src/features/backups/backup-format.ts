import type { BackupCheck } from '@crm/events';
import type { BackupEntry } from './api/backups.api';

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** A file size as people read it: "812 bytes", "1.4 MB" (powers of 1,000, like file managers). */
export function formatSize(bytes: number, locale?: string): string {
  if (bytes < 1000)
    return `${new Intl.NumberFormat(locale).format(bytes)} ${bytes === 1 ? 'byte' : 'bytes'}`;
  let i = 0;
  let n = bytes;
  while (n >= 1000 && i < UNITS.length - 1) {
    n /= 1000;
    i++;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: UNITS[i],
    unitDisplay: 'short',
    maximumFractionDigits: i === 0 || n >= 100 ? 0 : 1,
  }).format(n);
}

export type VerificationBadge = {
  kind: 'ok' | 'failed' | 'unverified';
  label: string;
  failed: BackupCheck[];
};

/** What the list says about a backup's last check, with the checks that failed (a skipped check is not a failure). */
export function verificationBadge(
  b: Pick<BackupEntry, 'verification' | 'last_verification'>,
): VerificationBadge {
  const failed = (b.last_verification?.checks ?? []).filter((c) => !c.ok);
  if (b.verification === 'ok')
    return {
      kind: 'ok',
      label: b.last_verification?.kind === 'drill' ? 'Verified (drill)' : 'Verified',
      failed: [],
    };
  if (b.verification === 'failed') return { kind: 'failed', label: 'Failed', failed };
  return { kind: 'unverified', label: 'Not verified', failed: [] };
}

/** The check names the verifier runs, in words. */
export const CHECK_NAMES: Record<string, string> = {
  manifest: 'manifest',
  checksum: 'checksum',
  integrity: 'database integrity',
  schema: 'schema version',
  log: 'event log and hash chain',
  prefix: 'same history as the live base',
  replay: 'replay of the log',
};

import { formatSize, verificationBadge } from './backup-format';

describe('backup list wording', () => {
  it('gives sizes in the unit people read, powers of 1,000', () => {
    expect(formatSize(0, 'en-US')).toBe('0 bytes');
    expect(formatSize(812, 'en-US')).toBe('812 bytes');
    expect(formatSize(4_096, 'en-US')).toBe('4.1 kB');
    expect(formatSize(1_400_000, 'en-US')).toBe('1.4 MB');
    expect(formatSize(245_600_000, 'en-US')).toBe('246 MB');
    expect(formatSize(3_200_000_000, 'en-US')).toBe('3.2 GB');
  });

  it('names a failed verification and the checks that failed', () => {
    const checks = [
      { name: 'checksum', ok: false, detail: 'sha256 differs' },
      { name: 'integrity', ok: true, detail: 'ok' },
    ];
    expect(
      verificationBadge({
        verification: 'failed',
        last_verification: { at: '2026-12-01T02:00:00.000Z', ok: false, kind: 'verify', checks },
      }),
    ).toEqual({ kind: 'failed', label: 'Failed', failed: [checks[0]] });
    expect(
      verificationBadge({
        verification: 'ok',
        last_verification: { at: '2026-12-01T02:00:00.000Z', ok: true, kind: 'drill', checks: [] },
      }).label,
    ).toBe('Verified (drill)');
    expect(verificationBadge({ verification: 'unverified', last_verification: null })).toEqual({
      kind: 'unverified',
      label: 'Not verified',
      failed: [],
    });
  });
});

import { listsValue } from '@crm/domain';

/**
 * Each record's lists as formulas reading `{Lists}` see them. A record's lists are read from the
 * memberships' read model the first time a formula needs them, then kept by the list moves the
 * grid projector is given in log order. Whether the memberships' projector has applied a batch
 * before or after this one, the lists after a record's last move are the same: the moves of the
 * batch, applied in order over either state, leave each list as its last move left it.
 */
export class RecordListsCache {
  private readonly byRecord = new Map<string, Set<string>>();

  constructor(private readonly read: (recordId: string) => string[]) {}

  /** The record's lists, keys sorted (`all` aside). */
  of(recordId: string): string[] {
    return listsValue(this.held(recordId));
  }

  /** A move into (or out of) a list; a record not read yet is read first. */
  move(recordId: string, list: string, added: boolean): void {
    const set = this.held(recordId);
    if (added) set.add(list);
    else set.delete(list);
  }

  reset(): void {
    this.byRecord.clear();
  }

  private held(recordId: string): Set<string> {
    let set = this.byRecord.get(recordId);
    if (!set) this.byRecord.set(recordId, (set = new Set(this.read(recordId))));
    return set;
  }
}

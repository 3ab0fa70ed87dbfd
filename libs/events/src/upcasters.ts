/**
 * Old event shapes are lifted to the current one on read; stored rows are never rewritten.
 * An upcaster takes the data of `type` at `from_version` and returns it at `from_version + 1`.
 */
export interface Upcaster {
  type: string;
  from_version: number;
  up(data: unknown): unknown;
}

export class UpcasterRegistry {
  private readonly byKey = new Map<string, Upcaster>();
  private readonly types = new Set<string>();

  constructor(upcasters: Upcaster[] = []) {
    for (const u of upcasters) {
      this.byKey.set(`${u.type}@${u.from_version}`, u);
      this.types.add(u.type);
    }
  }

  /** False when no upcaster exists for the type at any version: a replay can take its data as read. */
  lifts(type: string): boolean {
    return this.types.has(type);
  }

  /** Applies every upcaster in sequence; returns the data and the schema version reached. */
  upcast(
    type: string,
    schemaVersion: number,
    data: unknown,
  ): { data: unknown; schema_version: number } {
    let version = schemaVersion;
    let current = data;
    for (
      let u = this.byKey.get(`${type}@${version}`);
      u;
      u = this.byKey.get(`${type}@${version}`)
    ) {
      current = u.up(current);
      version++;
    }
    return { data: current, schema_version: version };
  }
}

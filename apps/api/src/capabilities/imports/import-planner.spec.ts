import { createHash } from 'node:crypto';
import { type ImportPlan } from '@crm/domain';
import { fingerprintOf } from './import-planner';

const planOf = (links: string[][]): ImportPlan => ({
  creates: links.map((ids, i) => ({
    line: i + 2,
    ref: `row:${i + 2}`,
    values: { fld_name: `Investor ${i}`, fld_parent: ids },
  })),
  updates: [],
  unchanged: 0,
  blank_rows: 0,
  rows_with_errors: 0,
  errors: [],
  warnings: [],
  new_choices: [],
  unmatched_links: [],
  link_creates: [],
});

describe('fingerprintOf', () => {
  it('is the same for the same plan, and changes when a created record would link elsewhere', () => {
    const links = [['rec00000000000001'], [], ['rec00000000000002', 'rec00000000000003']];
    expect(fingerprintOf(planOf(links))).toBe(fingerprintOf(planOf(links.map((l) => [...l]))));
    expect(
      fingerprintOf(
        planOf([['rec00000000000001'], [], ['rec00000000000002', 'rec00000000000009']]),
      ),
    ).not.toBe(fingerprintOf(planOf(links)));
    expect(
      fingerprintOf(
        planOf([['rec00000000000001'], ['rec00000000000002', 'rec00000000000003'], []]),
      ),
    ).not.toBe(fingerprintOf(planOf(links)));
  });

  it('hashes the lists of a big plan in pieces, to the digest of hashing them in one go', () => {
    const links = Array.from({ length: 60_000 }, (_, i) => [
      `rec${String(i).padStart(14, '0')}`,
      `rec${String(i + 1).padStart(14, '0')}`,
    ]);
    const plan = planOf(links);
    const whole = createHash('sha256');
    whole.update(
      JSON.stringify([
        plan.creates.length,
        plan.unchanged,
        plan.rows_with_errors,
        plan.errors.length,
        plan.new_choices,
        plan.link_creates,
        plan.unmatched_links,
      ]),
    );
    whole.update(
      plan.creates.map((c) => `${c.line}:${(c.values.fld_parent as string[]).join(',')};`).join(''),
    );
    expect(fingerprintOf(plan)).toBe(whole.digest('hex'));
  });
});

import { testWithDfa } from './regex-dfa';
import { type AssertKind, isWordChar } from './regex-parser';
import { type CompiledRegex, RegexBudgetError } from './regex-program';

/**
 * Runs a regular expression as a Pike VM: every thread advances over the text in lock-step, so the
 * time is at most (text length) × (program size) — no pattern can make it backtrack exponentially.
 * A step budget bounds even that product, and the program size is capped when it is compiled.
 */

interface Thread {
  pc: number;
  caps: Int32Array;
}

/**
 * The leftmost-first match (Perl/RE2 semantics) at or after `from`, as capture offsets into the
 * code point array (-1 for a group that did not take part), or null.
 */
// eslint-disable-next-line max-lines-per-function -- a VM: the step loop and its thread-adding closure share the machine's state
export function execRegex(
  re: CompiledRegex,
  text: number[],
  from: number,
  budget: { steps: number },
): Int32Array | null {
  const { prog } = re;
  const ncap = (re.groups + 1) * 2;
  // marks[pc] = 1 + the text position whose thread list already holds pc.
  const marks = new Int32Array(prog.length);
  const isWordAt = (i: number) => i >= 0 && i < text.length && isWordChar(text[i]);
  const assertOk = (kind: AssertKind, i: number): boolean => {
    switch (kind) {
      case 'bot':
        return i === 0;
      case 'eot':
        return i === text.length;
      case 'bol':
        return i === 0 || text[i - 1] === 10;
      case 'eol':
        return i === text.length || text[i] === 10;
      case 'word':
        return isWordAt(i - 1) !== isWordAt(i);
      case 'notword':
        return isWordAt(i - 1) === isWordAt(i);
    }
  };
  const spend = () => {
    if (--budget.steps < 0)
      throw new RegexBudgetError('the regular expression took too long on this text');
  };
  // Follows empty transitions depth-first in priority order; threads land on `list` in that order.
  const add = (list: Thread[], pc0: number, caps0: Int32Array, i: number) => {
    const stack: Thread[] = [{ pc: pc0, caps: caps0 }];
    const mark = i + 1;
    while (stack.length) {
      const { pc, caps } = stack.pop()!;
      spend();
      if (marks[pc] === mark) continue;
      marks[pc] = mark;
      const inst = prog[pc];
      switch (inst.op) {
        case 'jmp':
          stack.push({ pc: inst.x, caps });
          break;
        case 'split':
          stack.push({ pc: inst.y, caps }, { pc: inst.x, caps });
          break;
        case 'save': {
          const c = caps.slice();
          c[inst.n] = i;
          stack.push({ pc: pc + 1, caps: c });
          break;
        }
        case 'assert':
          if (assertOk(inst.kind, i)) stack.push({ pc: pc + 1, caps });
          break;
        default:
          list.push({ pc, caps });
      }
    }
  };

  const empty = new Int32Array(ncap).fill(-1);
  let clist: Thread[] = [];
  let matched: Int32Array | null = null;
  for (let i = from; i <= text.length; i++) {
    // A match starting here ranks below every thread already running.
    if (matched === null) add(clist, 0, empty, i);
    if (clist.length === 0) {
      if (matched !== null) break;
      continue;
    }
    const nlist: Thread[] = [];
    const c = i < text.length ? text[i] : -1;
    for (const t of clist) {
      spend();
      const inst = prog[t.pc];
      if (inst.op === 'match') {
        matched = t.caps;
        break; // threads of lower priority are cut off
      }
      if (inst.op === 'char' && c >= 0 && inst.test(c)) add(nlist, t.pc + 1, t.caps, i + 1);
    }
    clist = nlist;
  }
  return matched;
}

/**
 * Whether the program matches anywhere in the text: the same machine without capture groups, on
 * typed arrays (no allocation per step). REGEX_MATCH runs on every record, so it gets this fast path.
 */
// eslint-disable-next-line max-lines-per-function -- a VM: the step loop and its thread-adding closure share the machine's state
export function testRegex(re: CompiledRegex, text: string, budget: { steps: number }): boolean {
  const quick = testWithDfa(re, text, budget);
  if (quick !== null) return quick;
  const { prog } = re;
  const n = prog.length;
  // Work arrays are kept with the program and reused: REGEX_MATCH runs once per record.
  const w = (re.work ??= {
    marks: new Int32Array(n),
    clist: new Int32Array(n),
    nlist: new Int32Array(n),
    stack: new Int32Array(n * 2 + 2),
    base: 0,
    cps: [],
  });
  if (w.base > 1_000_000_000) {
    w.marks.fill(0);
    w.base = 0;
  }
  const base = w.base;
  const { marks, stack } = w;
  let clist = w.clist;
  let nlist = w.nlist;
  let clen = 0;
  const cps = w.cps;
  cps.length = 0;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c >= 0xd800 && c <= 0xdbff && k + 1 < text.length) {
      const d = text.charCodeAt(k + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cps.push((c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000);
        k++;
        continue;
      }
    }
    cps.push(c);
  }
  const len = cps.length;
  w.base += len + 2;
  const isWordAt = (i: number) => i >= 0 && i < len && isWordChar(cps[i]);
  const assertOk = (kind: AssertKind, i: number): boolean => {
    switch (kind) {
      case 'bot':
        return i === 0;
      case 'eot':
        return i === len;
      case 'bol':
        return i === 0 || cps[i - 1] === 10;
      case 'eol':
        return i === len || cps[i] === 10;
      case 'word':
        return isWordAt(i - 1) !== isWordAt(i);
      case 'notword':
        return isWordAt(i - 1) === isWordAt(i);
    }
  };
  let hit = false;
  // Adds pc and what it reaches without reading a character to the list; sets `hit` on reaching `match`.
  const add = (list: Int32Array, count: number, pc0: number, i: number): number => {
    let sp = 0;
    stack[sp++] = pc0;
    const mark = base + i + 1;
    while (sp > 0) {
      const pc = stack[--sp];
      if (--budget.steps < 0)
        throw new RegexBudgetError('the regular expression took too long on this text');
      if (marks[pc] === mark) continue;
      marks[pc] = mark;
      const inst = prog[pc];
      switch (inst.op) {
        case 'jmp':
          stack[sp++] = inst.x;
          break;
        case 'split':
          stack[sp++] = inst.y;
          stack[sp++] = inst.x;
          break;
        case 'save':
          stack[sp++] = pc + 1;
          break;
        case 'assert':
          if (assertOk(inst.kind, i)) stack[sp++] = pc + 1;
          break;
        case 'match':
          hit = true;
          break;
        default:
          list[count++] = pc;
      }
    }
    return count;
  };
  for (let i = 0; i <= len; i++) {
    clen = add(clist, clen, 0, i);
    if (hit) return true;
    if (clen === 0) continue;
    let nlen = 0;
    const c = i < len ? cps[i] : -1;
    for (let k = 0; k < clen; k++) {
      const inst = prog[clist[k]];
      if (--budget.steps < 0)
        throw new RegexBudgetError('the regular expression took too long on this text');
      if (inst.op === 'char' && c >= 0 && inst.test(c)) {
        nlen = add(nlist, nlen, clist[k] + 1, i + 1);
        if (hit) return true;
      }
    }
    const t = clist;
    clist = nlist;
    nlist = t;
    clen = nlen;
  }
  return false;
}

import { type AssertKind, type CharTest, isWordChar, parseRegex, type RNode } from './regex-parser';

/**
 * Runs a regular expression as a Pike VM: every thread advances over the text in lock-step, so the
 * time is at most (text length) × (program size) — no pattern can make it backtrack exponentially.
 * A step budget bounds even that product, and the program size is capped when it is compiled.
 */

type Inst =
  | { op: 'char'; test: CharTest }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { op: 'save'; n: number }
  | { op: 'assert'; kind: AssertKind }
  | { op: 'match' };

export const REGEX_LIMITS = { programSize: 20_000, steps: 1_000_000 } as const;

export class RegexBudgetError extends Error {}

export interface CompiledRegex {
  prog: Inst[];
  groups: number;
  work?: {
    marks: Int32Array;
    clist: Int32Array;
    nlist: Int32Array;
    stack: Int32Array;
    base: number;
    cps: number[];
  };
  dfa?: LazyDfa | null;
}

/**
 * A DFA built lazily from the program (as RE2 does) for REGEX_MATCH on patterns without anchors or
 * word boundaries: each set of machine threads becomes a state the first time it is reached, and
 * each (state, character) step is remembered, so a pattern run on every record of a table reads
 * most characters with one lookup. Capped in size; past the cap it starts afresh.
 */
interface DfaState {
  pcs: Int32Array;
  matched: boolean;
  next: Map<number, DfaState>;
}

interface LazyDfa {
  states: Map<string, DfaState>;
  start: DfaState;
}

const DFA_MAX_STATES = 2_000;

function closure(prog: Inst[], seeds: number[]): { pcs: number[]; matched: boolean } {
  const seen = new Set<number>();
  const out: number[] = [];
  let matched = false;
  const stack = [...seeds].reverse();
  while (stack.length) {
    const pc = stack.pop()!;
    if (seen.has(pc)) continue;
    seen.add(pc);
    const inst = prog[pc];
    switch (inst.op) {
      case 'jmp':
        stack.push(inst.x);
        break;
      case 'split':
        stack.push(inst.y, inst.x);
        break;
      case 'save':
        stack.push(pc + 1);
        break;
      case 'match':
        matched = true;
        break;
      case 'char':
        out.push(pc);
        break;
      default:
        break;
    }
  }
  return { pcs: out, matched };
}

function dfaState(dfa: LazyDfa, pcs: number[], matched: boolean): DfaState {
  const sorted = [...new Set(pcs)].sort((a, b) => a - b);
  const key = `${matched ? 'm' : ''}${sorted.join(',')}`;
  let st = dfa.states.get(key);
  if (!st) {
    st = { pcs: Int32Array.from(sorted), matched, next: new Map() };
    dfa.states.set(key, st);
  }
  return st;
}

function lazyDfaOf(re: CompiledRegex): LazyDfa | null {
  if (re.dfa !== undefined && (re.dfa === null || re.dfa.states.size < DFA_MAX_STATES))
    return re.dfa;
  if (re.prog.some((i) => i.op === 'assert')) return (re.dfa = null);
  const dfa: LazyDfa = { states: new Map(), start: null as unknown as DfaState };
  const c = closure(re.prog, [0]);
  dfa.start = dfaState(dfa, c.pcs, c.matched);
  return (re.dfa = dfa);
}

/** Whether the pattern matches anywhere, on the lazy DFA; null when the program needs the full machine. */
function testWithDfa(re: CompiledRegex, text: string, budget: { steps: number }): boolean | null {
  const dfa = lazyDfaOf(re);
  if (!dfa) return null;
  // Unanchored: a match may start at any character, so every state also holds the start's threads.
  let st = dfa.start;
  if (st.matched) return true;
  for (let k = 0; k < text.length; k++) {
    let c = text.charCodeAt(k);
    if (c >= 0xd800 && c <= 0xdbff && k + 1 < text.length) {
      const d = text.charCodeAt(k + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
        k++;
      }
    }
    let next = st.next.get(c);
    if (!next) {
      budget.steps -= st.pcs.length + 1;
      if (budget.steps < 0)
        throw new RegexBudgetError('the regular expression took too long on this text');
      const seeds: number[] = [];
      for (const pc of st.pcs) {
        const inst = re.prog[pc] as { op: 'char'; test: CharTest };
        if (inst.test(c)) seeds.push(pc + 1);
      }
      const cl = closure(re.prog, seeds);
      next = dfaState(dfa, [...cl.pcs, ...dfa.start.pcs], cl.matched);
      st.next.set(c, next);
      if (dfa.states.size >= DFA_MAX_STATES) {
        // Too many states for this pattern: the step machine answers from here on.
        re.dfa = null;
        return null;
      }
    } else if (--budget.steps < 0)
      throw new RegexBudgetError('the regular expression took too long on this text');
    if (next.matched) return true;
    st = next;
  }
  return false;
}

export function compileRegex(pattern: string): CompiledRegex {
  const { node, groups } = parseRegex(pattern);
  const prog: Inst[] = [];
  const emit = (i: Inst) => {
    if (prog.length >= REGEX_LIMITS.programSize)
      throw new RegexBudgetError(
        'the regular expression is too large once its repeats are expanded',
      );
    prog.push(i);
    return prog.length - 1;
  };
  const gen = (n: RNode): void => {
    switch (n.t) {
      case 'empty':
        return;
      case 'char':
        emit({ op: 'char', test: n.test });
        return;
      case 'assert':
        emit({ op: 'assert', kind: n.kind });
        return;
      case 'cat':
        for (const x of n.items) gen(x);
        return;
      case 'group':
        if (n.cap === null) return gen(n.node);
        emit({ op: 'save', n: n.cap * 2 });
        gen(n.node);
        emit({ op: 'save', n: n.cap * 2 + 1 });
        return;
      case 'alt': {
        const jumps: number[] = [];
        for (let k = 0; k < n.items.length; k++) {
          if (k < n.items.length - 1) {
            const split = emit({ op: 'split', x: 0, y: 0 });
            (prog[split] as { x: number }).x = prog.length;
            gen(n.items[k]);
            jumps.push(emit({ op: 'jmp', x: 0 }));
            (prog[split] as { y: number }).y = prog.length;
          } else gen(n.items[k]);
        }
        for (const j of jumps) (prog[j] as { x: number }).x = prog.length;
        return;
      }
      case 'repeat': {
        for (let k = 0; k < n.min; k++) gen(n.node);
        if (n.max === Infinity) {
          const split = emit({ op: 'split', x: 0, y: 0 });
          const body = prog.length;
          gen(n.node);
          emit({ op: 'jmp', x: split });
          const after = prog.length;
          prog[split] = n.greedy
            ? { op: 'split', x: body, y: after }
            : { op: 'split', x: after, y: body };
          return;
        }
        const splits: number[] = [];
        for (let k = n.min; k < n.max; k++) {
          splits.push(emit({ op: 'split', x: 0, y: 0 }));
          gen(n.node);
        }
        const after = prog.length;
        for (const s of splits)
          prog[s] = n.greedy
            ? { op: 'split', x: s + 1, y: after }
            : { op: 'split', x: after, y: s + 1 };
        return;
      }
    }
  };
  emit({ op: 'save', n: 0 });
  gen(node);
  emit({ op: 'save', n: 1 });
  emit({ op: 'match' });
  return { prog, groups };
}

interface Thread {
  pc: number;
  caps: Int32Array;
}

/**
 * The leftmost-first match (Perl/RE2 semantics) at or after `from`, as capture offsets into the
 * code point array (-1 for a group that did not take part), or null.
 */
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
  let nlen = 0;
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
    nlen = 0;
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

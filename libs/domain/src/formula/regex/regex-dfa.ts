import { type CharTest } from './regex-parser';
import { type CompiledRegex, type Inst, RegexBudgetError } from './regex-program';

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

export interface LazyDfa {
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
export function testWithDfa(
  re: CompiledRegex,
  text: string,
  budget: { steps: number },
): boolean | null {
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

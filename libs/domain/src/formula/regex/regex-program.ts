import { type LazyDfa } from './regex-dfa';
import { type AssertKind, type CharTest, parseRegex, type RNode } from './regex-parser';

/** A regular expression compiled to a program for the machine in regex-vm.ts (and the DFA in regex-dfa.ts). */

export type Inst =
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

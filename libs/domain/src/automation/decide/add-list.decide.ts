import { automationStreams } from '@crm/events';
import { type Decision, DecisionBuilder } from '../../base/decide-context';
import { DomainError, invalid } from '../../errors';
import { LIMITS } from '../../values/limits';

export interface ListsContext {
  isList(key: string): boolean;
  /** The version of the stream of added lists. */
  listsVersion(): number;
}

/** The key a list's name gives: lower case, words joined by `_` ("Warm leads" → `warm_leads`). */
export function listKeyOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60);
}

/** A new list beside the built-in ones; a name whose key is taken is a conflict. */
export function decideAddList(cmd: { name: unknown }, ctx: ListsContext): Decision {
  const name = typeof cmd.name === 'string' ? cmd.name.trim() : '';
  if (!name || [...name].length > LIMITS.nameChars || name.includes('\u0000'))
    throw invalid(`name: a list's name is 1 to ${LIMITS.nameChars} characters`, {
      field: 'name',
    });
  const list = listKeyOf(name);
  if (!list) throw invalid('name: needs a letter or a digit', { field: 'name', given: name });
  if (ctx.isList(list))
    throw new DomainError('conflict', `there is a list "${list}" already`, {
      field: 'name',
      list,
    });
  const b = new DecisionBuilder();
  b.emit(automationStreams.lists, ctx.listsVersion(), {
    type: 'MembershipListAdded',
    data: { list, name },
  });
  return b.build();
}

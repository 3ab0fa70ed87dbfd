import type { PeopleList } from '@crm/contracts';

/** A member of the team as a people field shows them. */
export type Person = PeopleList['people'][number];

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** Up to two initials of a name ("Ann Lee" → "AL"); "?" for none. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((w) => [...w][0]!.toUpperCase()).join('') || '?';
}

/** A hue from the user id: the same person has the same colour everywhere, whatever their name. */
export function avatarHue(id: string): number {
  let h = 7;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return h % 360;
}

/** One person in a cell: a round avatar (initials on their colour) and the name; greyed when disabled. */
export function personChipHtml(id: string, person: Person | undefined): string {
  const name = person?.name ?? 'Unknown person';
  const off = person?.disabled ? ' person--disabled' : '';
  const title = person
    ? `${person.name} <${person.email}>${person.disabled ? ' (disabled)' : ''}`
    : id;
  return `<span class="person${off}" title="${escapeHtml(title)}"><span class="avatar" style="--avatar-h:${avatarHue(id)}">${escapeHtml(initialsOf(name))}</span>${escapeHtml(name)}</span>`;
}

/**
 * Text as search compares it: lower case without accents, so `zurich` finds `Zürich` (the server's
 * search index folds alike). ASCII text is returned lower-cased without the Unicode work.
 */
export function searchFold(text: string): string {
  const lower = text.toLowerCase();
  if (!/[\u0080-\uffff]/.test(lower)) return lower;
  return lower.normalize('NFD').replace(/\p{M}+/gu, '');
}

import { type FieldDefinition } from '@crm/events';
import { DomainError } from '../../errors';
import { normalizeCell } from '../../values/normalize';
import { parseCheckbox } from '../airtable-values';
import { parseAttachments } from '../attachments';
import { confidenceReason } from '../confidence-reason';
import { type ColumnInference } from '../infer-column';
import { countListItems, looksLikeList } from '../infer-list';
import { countWholeValues } from './column-survey';
import { LEADING_ZERO } from './infer-amounts.step';
import { type Inference } from './inference';

const probe = (type: string): FieldDefinition => ({
  id: 'probe',
  name: 'probe',
  type,
  options: {},
  role: null,
});
const EMAIL_FIELD = probe('email');
const PHONE_FIELD = probe('phone');

function accepts(field: FieldDefinition, value: string): boolean {
  try {
    normalizeCell(field, value);
    return true;
  } catch (e) {
    if (e instanceof DomainError) return false;
    throw e;
  }
}

const URLISH =
  /^(https?:\/\/[^\s]+|www\.[^\s]+\.[a-z]{2,}[^\s]*|[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}\/[^\s]*)$/i;

/** Checkbox: Airtable writes `checked` or nothing. An empty cell is an unticked box, so every row is evidence. */
export function inferCheckbox(c: Inference): ColumnInference | null {
  if (parseCheckbox(c.first) === null) return null;
  const rows = c.values.length;
  const boxEvidence = Math.min(1, 0.625 + 0.075 * rows);
  // Said of every row, empty ones included.
  const box = (confidence: number) =>
    c.result('checkbox', confidence, {
      confidence_reason: confidenceReason(
        'checkbox',
        rows,
        rows,
        Math.round(confidence * 100) / 100,
        boxEvidence,
      ),
    });
  if (c.all((v) => v.trim().toLowerCase() === 'checked')) return box(boxEvidence);
  if (c.all((v) => parseCheckbox(v) !== null && !/^[01]$/.test(v.trim())))
    return box(0.9 * boxEvidence);
  return null;
}

export function inferAttachments(c: Inference): ColumnInference | null {
  if (!c.first.includes(' (http') || !c.all((v) => parseAttachments(v) !== null)) return null;
  c.notes.push('attachments: file names and addresses are kept; the files are not downloaded');
  return c.result('attachment', c.evidence);
}

/** Email addresses, web addresses, phone numbers (kept as written). */
export function inferContacts(c: Inference): ColumnInference | null {
  if (c.all((v) => accepts(EMAIL_FIELD, v.trim())))
    return c.withErrors(c.result('email', c.evidence));
  if (c.all((v) => URLISH.test(v.trim()))) return c.withErrors(c.result('url', c.evidence));
  const phone = (v: string) =>
    accepts(PHONE_FIELD, v.trim()) &&
    v.replace(/\D/g, '').length >= 7 &&
    (/[^\d]/.test(v.trim()) || LEADING_ZERO.test(v.trim()));
  if (!c.all(phone)) return null;
  c.notes.push('phone numbers are kept as written (leading zeros and + intact)');
  return c.withErrors(c.result('phone', c.evidence));
}

/**
 * Selects: a small vocabulary that repeats. Several items per cell make it a multiple select.
 * Whole values first: a single select has few of them, and no commas.
 */
export function inferSelects(c: Inference): ColumnInference | null {
  if (c.survey.multiline) return null;
  const { present } = c.survey;
  const { whole, hasComma } = countWholeValues(c.values, present);
  if (
    c.survey.longest <= 255 &&
    !hasComma &&
    whole.size <= 50 &&
    present.length >= 4 &&
    present.length >= 2 * whole.size &&
    ![...whole.keys()].some((k) => k.length > 100)
  ) {
    const confidence = Math.min(0.9, 0.5 + 0.05 * (present.length / whole.size));
    return c.withErrors(c.result('single_select', confidence * c.evidence));
  }
  // Lists are read from the sampled values (the plan checks the rest): a long list column costs no more than a short one.
  if (!hasComma) return null;
  const list = countListItems(c.values, c.checked);
  if (!looksLikeList(list, c.checked.length)) return null;
  c.notes.push(
    list.distinct > 50 || list.items < 2 * list.distinct
      ? `${list.distinct.toLocaleString('en-US')} distinct names, up to ${list.most} in a cell: these look like linked records — choose “New link to …” a table to link them, or keep them as a multiple select`
      : `${list.distinct} distinct options; could also be linked records — map it to a link field to link them`,
  );
  const confidence = Math.min(0.9, 0.5 + 0.05 * (list.items / list.distinct));
  return c.withErrors(c.result('multiple_select', confidence * c.evidence));
}

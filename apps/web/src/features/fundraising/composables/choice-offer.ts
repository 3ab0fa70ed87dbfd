import type { CellValue, FieldDefinition } from '@crm/events';
import type Handsontable from 'handsontable/base';
import { ApiError } from '../../../app/http';
import { toast } from '../../../ui/toast';
import { fundraisingApi } from '../api/fundraising.api';

/** A name typed into a choice cell that is not among the field's choices, offered to be added. */
export interface ChoiceOffer {
  recordId: string;
  fieldId: string;
  name: string;
}

export interface CellMessage {
  text: string;
  x: number;
  y: number;
  row: number;
  col: number;
  serial: number;
  offer?: ChoiceOffer;
}

/** What adding a choice needs of the grid session. */
export interface ChoiceSession {
  readonly ui: { cellMessage: CellMessage | null };
  readonly hot: Handsontable | null;
  readonly canChangeSchema: boolean;
  fieldById(fieldId: string): FieldDefinition | undefined;
  cellValue(recordId: string, fieldId: string): CellValue | undefined;
  reload(): Promise<void>;
  setCell(recordId: string, fieldId: string, raw: unknown, source?: string): string | null;
  refocusGrid(): void;
}

export const choiceNames = (f: FieldDefinition) =>
  ((f.options.choices as { name: string }[] | undefined) ?? []).map((c) => c.name);

/** The words of the offer, or of the refusal when the person may not change the field. */
export function offerText(field: FieldDefinition, name: string, allowed: boolean): string {
  return allowed
    ? `“${name}” is not a choice of ${field.name}. Press Enter again to add it to the field, or Escape to cancel.`
    : `“${name}” is not a choice of ${field.name} (${choiceNames(field).slice(0, 8).join(', ')}), and your role may not add choices: ask an admin.`;
}

/**
 * The second Enter: the field gets the new choice (a schema change, as the field dialog would make
 * it) and the cell takes it. The server's role rules decide; a refusal is said in the message.
 */
export async function acceptChoiceOffer(s: ChoiceSession): Promise<void> {
  const m = s.ui.cellMessage;
  const offer = m?.offer;
  const field = offer ? s.fieldById(offer.fieldId) : undefined;
  if (!m || !offer || !field) return;
  s.ui.cellMessage = {
    ...m,
    text: `Adding “${offer.name}” to ${field.name}…`,
    offer: undefined,
    serial: m.serial + 1,
  };
  // The editor holding the refused text gives it up once its own key handling is over.
  setTimeout(() => {
    const editor = s.hot?.getActiveEditor();
    if (editor?.isOpened()) editor.finishEditing(true);
  }, 0);
  const say = (text: string) => {
    const now = s.ui.cellMessage;
    s.ui.cellMessage = { ...(now ?? m), text, offer: undefined, serial: (now ?? m).serial + 1 };
  };
  try {
    const choices = [
      ...((field.options.choices as { name: string }[] | undefined) ?? []),
      { name: offer.name },
    ];
    await fundraisingApi.updateField(field.id, { options: { ...field.options, choices } });
  } catch (e) {
    say(
      e instanceof ApiError && e.status === 403
        ? `You may not change the choices of ${field.name}: ${e.message}`
        : `“${offer.name}” was not added to ${field.name}: ${(e as Error).message}`,
    );
    return;
  }
  await s.reload();
  const current = s.cellValue(offer.recordId, offer.fieldId);
  const value =
    field.type === 'multiple_select'
      ? [...(Array.isArray(current) ? (current as string[]) : []), offer.name]
      : offer.name;
  const err = s.setCell(offer.recordId, offer.fieldId, value, 'edit');
  if (err) {
    say(err);
    return;
  }
  s.ui.cellMessage = null;
  toast(`Added “${offer.name}” to the choices of ${field.name}`, 'success');
  s.refocusGrid();
}

type MultiSelectLike = {
  row: number;
  col: number;
  getInputElement?: () => HTMLInputElement;
  dropdownContainerElement?: HTMLElement;
};

/**
 * Enter in the multiple-select editor's search box: a name that is a choice is ticked (and the search
 * cleared for the next one); any other name is offered to be added. False when there is nothing typed.
 */
export function takeTypedTag(
  hot: Handsontable,
  field: FieldDefinition | undefined,
  offer: (row: number, col: number, field: FieldDefinition, name: string) => void,
): boolean {
  const editor = hot.getActiveEditor() as unknown as MultiSelectLike | undefined;
  if (
    !field ||
    field.type !== 'multiple_select' ||
    !editor?.getInputElement ||
    !editor.dropdownContainerElement
  )
    return false;
  const input = editor.getInputElement();
  const typed = input.value.trim();
  if (!typed) return false;
  const match = choiceNames(field).find((c) => c.toLowerCase() === typed.toLowerCase());
  if (match === undefined) {
    offer(editor.row, editor.col, field, typed);
    return true;
  }
  const box = [
    ...editor.dropdownContainerElement.querySelectorAll<HTMLInputElement>('input[type=checkbox]'),
  ].find((b) => b.dataset.value === match);
  if (box && !box.checked) {
    box.checked = true;
    box.dispatchEvent(new Event('change'));
  }
  input.value = '';
  input.dispatchEvent(new Event('input'));
  input.focus();
  return true;
}

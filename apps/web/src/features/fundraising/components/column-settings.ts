import { isComputedType, isDerivedType } from '@crm/domain';
import type { CellValue, FieldDefinition } from '@crm/events';
import type Handsontable from 'handsontable/base';
import { DateEditor, DropdownEditor, TextEditor } from 'handsontable/editors';
import { baseRenderer, checkboxRenderer, type BaseRenderer } from 'handsontable/renderers';
import type { BaseValidator } from 'handsontable/validators';
import { formatDisplay, formatEdit } from '../composables/cell-codec';
import type { GridSession } from '../composables/grid-session';
import { isEditorOpen } from '../composables/open-editor';
import type { TableModel } from '../composables/base-model';
import { personChipHtml } from '../composables/people';

type Meta = Handsontable.CellProperties & { crmField?: FieldDefinition };

/** The plain text editor, started with the value written the way it parses back (12.5 for 12.5%, no separators). */
export class TypedTextEditor extends TextEditor {
  static session: GridSession | null = null;

  override beginEditing(newInitialValue?: unknown, event?: Event): void {
    const field = (this.cellProperties as Meta).crmField;
    const session = TypedTextEditor.session;
    const initial =
      typeof newInitialValue === 'string' || !field || !session
        ? newInitialValue
        : formatEdit(field, this.originalValue as CellValue, session.model);
    super.beginEditing(initial as never, event as never);
  }
}

type ChoiceList = {
  highlightBestMatchingChoice(index: number | null | undefined): void;
  strippedChoices: string[];
};

/**
 * The choice list's filter runs on a timer after each key, and Enter takes whatever it highlights:
 * typing "Engaged" + Enter quickly could save the first choice instead. What was typed wins when it
 * names a choice exactly (ignoring case), and a highlight left from earlier keys is not taken.
 *
 * Opened with Enter, F2 or a double click on a filled cell, it is a fresh picker: the search text is
 * empty (typing does not add to the old name) and the current choice is highlighted, so Enter alone
 * keeps it.
 */
export class ChoiceEditor extends DropdownEditor {
  override beginEditing(newInitialValue?: unknown, event?: Event): void {
    super.beginEditing(typeof newInitialValue === 'string' ? newInitialValue : '', event);
  }

  /**
   * The list is filtered on a timer after each key, and filtering puts the keyboard back in this
   * editor's textarea. On a busy page that timer can fire after Tab has moved to the next cell, and
   * the keys typed there went into this closed editor instead. A closed editor filters nothing.
   */
  override updateChoicesList(
    choicesList: Parameters<DropdownEditor['updateChoicesList']>[0],
  ): void {
    if (this.isOpened()) super.updateChoicesList(choicesList);
  }

  highlightBestMatchingChoice(index: number | null | undefined): void {
    const self = this as unknown as ChoiceList;
    const typed = String((this.TEXTAREA as HTMLTextAreaElement).value ?? '');
    if (
      index == null &&
      typed === '' &&
      typeof this.originalValue === 'string' &&
      this.originalValue
    ) {
      const current = self.strippedChoices.indexOf(this.originalValue);
      if (current >= 0) index = current;
    }
    (DropdownEditor.prototype as unknown as ChoiceList).highlightBestMatchingChoice.call(
      this,
      index,
    );
  }

  override finishEditing(
    restoreOriginalValue?: boolean,
    ctrlDown?: boolean,
    callback?: () => void,
  ): void {
    if (!restoreOriginalValue) {
      const typed = String((this.TEXTAREA as HTMLTextAreaElement).value ?? '')
        .trim()
        .toLowerCase();
      const source = (this.cellProperties.source as string[] | undefined) ?? [];
      const exact = typed ? source.find((c) => c.toLowerCase() === typed) : undefined;
      // When the list has not been filtered for the last keys yet, its highlight is stale: take the
      // choice it would highlight for what was typed (the first that contains it).
      const stale = typed && (this.query ?? '').trim().toLowerCase() !== typed;
      const pick =
        exact ?? (stale ? source.find((c) => c && c.toLowerCase().includes(typed)) : undefined);
      if (pick !== undefined) {
        this.htEditor?.deselectCell();
        this.setValue(pick);
      }
      // Opened fresh on a value the list cannot highlight, and left without a pick: the value stays.
      if (!typed && !this.htEditor?.getSelectedActive() && this.originalValue)
        restoreOriginalValue = true;
    }
    super.finishEditing(restoreOriginalValue, ctrlDown, callback);
  }
}

type Deferred = { _registerTimeout(handle: () => void, delay?: number): number };

/**
 * The calendar editor defers a "close the editor" to a timer when it closes. After Tab, a key typed
 * on a busy page reaches the grid before that timer (Chromium serves input first) and opens the next
 * cell's editor, which the timer then closed: the first letter was saved alone and the next key
 * started over. The deferred close now leaves an editor that is open alone.
 */
export class CalendarEditor extends DateEditor {
  override close(): void {
    const hot = this.hot as unknown as Deferred;
    const register = hot._registerTimeout;
    hot._registerTimeout = (handle, delay) =>
      register.call(
        hot,
        () => {
          if (!isEditorOpen(this.hot)) handle();
        },
        delay,
      );
    try {
      super.close();
    } finally {
      hot._registerTimeout = register;
    }
  }
}

const CLASSES = [
  'cell--conflict',
  'cell--num',
  'cell--chips',
  'cell--link',
  'cell--computed',
  'cell--long',
  'cell--error',
];
const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** A stable, soft colour per choice name, so "Committed" looks the same in every row. */
function chipHue(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  return h % 360;
}

export function chips(names: string[], kind: 'choice' | 'link'): string {
  return names
    .map((n) =>
      kind === 'link'
        ? `<span class="chip chip--link">${escapeHtml(n)}</span>`
        : `<span class="chip" style="--chip-h:${chipHue(n)}">${escapeHtml(n)}</span>`,
    )
    .join('');
}

const linkChips = (ids: string[], session: GridSession) =>
  chips(
    ids.map((id) => session.model.recordName(id) || 'Unnamed record'),
    'link',
  );

function makeRenderer(field: FieldDefinition, session: GridSession): BaseRenderer {
  return function render(hot, td, row, col, prop, value, cellProperties) {
    td.classList.remove(...CLASSES);
    if (td.title) td.removeAttribute('title');
    const table = session.current;
    const gridRow = table?.rows[hot.toPhysicalRow(row)];
    if (gridRow && session.conflicts.has(gridRow.id, field.id)) td.classList.add('cell--conflict');
    if (field.type === 'checkbox') {
      checkboxRenderer(hot, td, row, col, prop, value === true, cellProperties);
      return;
    }
    baseRenderer(hot, td, row, col, prop, value, cellProperties);
    const v = value as CellValue;
    // An amount in its own record's currency (a commitment in its fund's).
    const shown = table && gridRow ? session.model.fieldForRow(table, gridRow, field) : field;
    switch (field.type) {
      case 'number':
      case 'currency':
      case 'percent':
        td.classList.add('cell--num');
        td.textContent = formatDisplay(shown, v, session.model);
        return;
      case 'single_select':
        td.classList.add('cell--chips');
        td.innerHTML = typeof v === 'string' && v ? chips([v], 'choice') : '';
        return;
      case 'multiple_select':
        td.classList.add('cell--chips');
        td.innerHTML = Array.isArray(v) ? chips(v as string[], 'choice') : '';
        return;
      case 'link':
        td.classList.add('cell--chips', 'cell--link');
        td.innerHTML = Array.isArray(v) ? linkChips(v as string[], session) : '';
        return;
      case 'user':
        td.classList.add('cell--chips');
        td.innerHTML = Array.isArray(v)
          ? (v as string[]).map((id) => personChipHtml(id, session.model.people.get(id))).join('')
          : '';
        return;
      case 'email':
        td.innerHTML =
          typeof v === 'string' && v
            ? `<a class="cell-link" href="mailto:${encodeURIComponent(v).replace(/%40/g, '@')}">${escapeHtml(v)}</a>`
            : '';
        return;
      case 'url':
        td.innerHTML =
          typeof v === 'string' && /^https?:\/\//i.test(v)
            ? `<a class="cell-link" href="${escapeHtml(v)}" target="_blank" rel="noopener noreferrer">${escapeHtml(v.replace(/^https?:\/\//i, ''))}</a>`
            : '';
        return;
      case 'phone':
        td.innerHTML =
          typeof v === 'string' && v
            ? `<a class="cell-link" href="tel:${escapeHtml(v.replace(/[^\d+]/g, ''))}">${escapeHtml(v)}</a>`
            : '';
        return;
      case 'long_text':
        td.classList.add('cell--long');
        td.textContent = typeof v === 'string' ? v.split('\n')[0] : '';
        return;
      default:
        if (isComputedType(field.type)) td.classList.add('cell--computed');
        if (isDerivedType(field.type) && v !== null && typeof v === 'object' && !Array.isArray(v)) {
          // A formula that failed on this record: Airtable's #ERROR!, the reason on hover.
          td.classList.add('cell--error');
          td.textContent = '#ERROR!';
          td.title = String((v as { error?: unknown }).error ?? 'error');
          return;
        }
        // A computed number lines up with the typed ones: to the right.
        if (typeof v === 'number') td.classList.add('cell--num');
        td.textContent = formatDisplay(shown, v, session.model);
    }
  };
}

/** The domain check already ran in beforeChange; a value left as a refusal marker fails here. */
function makeValidator(session: GridSession): BaseValidator {
  return function validate(
    this: Handsontable.CellProperties,
    value: unknown,
    callback: (ok: boolean) => void,
  ) {
    callback(!session.isRefusal(value));
  };
}

export function columnFor(
  field: FieldDefinition,
  physical: number,
  session: GridSession,
  table: TableModel,
): Handsontable.ColumnSettings {
  const common = {
    data: physical,
    crmField: field,
    renderer: makeRenderer(field, session),
    validator: makeValidator(session),
    allowInvalid: false,
  } as Handsontable.ColumnSettings & { crmField: FieldDefinition };
  if (isComputedType(field.type)) return { ...common, readOnly: true, editor: false };
  const choices = ((field.options.choices as { name: string }[] | undefined) ?? []).map(
    (c) => c.name,
  );
  switch (field.type) {
    case 'checkbox':
      return {
        ...common,
        type: 'checkbox',
        renderer: common.renderer,
        validator: common.validator,
        className: 'htCenter',
      };
    case 'single_select':
      return {
        ...common,
        editor: ChoiceEditor,
        source: ['', ...choices],
        strict: false,
        filter: true,
        visibleRows: 10,
      } as Handsontable.ColumnSettings;
    case 'multiple_select':
      return {
        ...common,
        editor: 'multiselect',
        source: choices,
        searchInput: true,
      } as Handsontable.ColumnSettings;
    case 'date':
      // A text box with a calendar: people type 3/1/2024 or pick a day; the cell stores YYYY-MM-DD.
      return {
        ...common,
        editor: CalendarEditor,
        dateFormat: 'YYYY-MM-DD',
        correctFormat: false,
        datePickerConfig: { firstDay: 1, showWeekNumber: false },
      } as Handsontable.ColumnSettings;
    case 'link':
    case 'user':
      // Opened by Enter or a double click (the grid shows the record or people picker); pasting names still works.
      return { ...common, editor: false };
    case 'number':
    case 'currency':
    case 'percent':
      return { ...common, editor: TypedTextEditor, className: 'htRight' };
    default:
      return {
        ...common,
        editor: TypedTextEditor,
        className: table.primary_field_id === field.id ? 'cell--primary' : undefined,
      };
  }
}

/**
 * Every keyboard shortcut the app answers to, for the shortcut sheet ("?"). The grid's own come from
 * Handsontable; the others are bound in DataGrid, GridPage and the dialogs. A new binding belongs here too.
 */
export interface Shortcut {
  keys: string[][];
  what: string;
}

export interface ShortcutGroup {
  title: string;
  shortcuts: Shortcut[];
}

/** "Mod" reads as ⌘ on a Mac and Ctrl elsewhere. */
export const SHORTCUTS: ShortcutGroup[] = [
  {
    title: 'Moving around',
    shortcuts: [
      { keys: [['↑ ↓ ← →']], what: 'Move to the next cell' },
      { keys: [['Tab'], ['Shift', 'Tab']], what: 'Next / previous cell in the row' },
      { keys: [['Mod', '↑ ↓ ← →']], what: 'Jump to the first or last row or column' },
      { keys: [['Home'], ['End']], what: 'First / last cell of the row' },
      { keys: [['Page Up'], ['Page Down']], what: 'One screen up or down' },
      { keys: [['Shift', '↑ ↓ ← →']], what: 'Extend the selection' },
      { keys: [['Mod', 'A']], what: 'Select every cell' },
    ],
  },
  {
    title: 'Editing cells',
    shortcuts: [
      { keys: [['Enter'], ['F2']], what: 'Edit the cell (on a link cell: open the record picker)' },
      { keys: [['any letter or digit']], what: 'Replace the cell with what you type' },
      { keys: [['Enter'], ['Shift', 'Enter']], what: 'Save the cell and go down or up' },
      { keys: [['Tab']], what: 'Save the cell and go right' },
      { keys: [['Esc']], what: 'Leave the cell unchanged' },
      { keys: [['Alt', 'Enter']], what: 'New line inside a cell' },
      { keys: [['Delete'], ['Backspace']], what: 'Empty the selected cells' },
      {
        keys: [
          ['Mod', 'C'],
          ['Mod', 'X'],
          ['Mod', 'V'],
        ],
        what: 'Copy, cut and paste (to and from spreadsheets)',
      },
      { keys: [['Mod', 'Z']], what: 'Undo your last change' },
      {
        keys: [
          ['Mod', 'Shift', 'Z'],
          ['Ctrl', 'Y'],
        ],
        what: 'Redo',
      },
    ],
  },
  {
    title: 'Records',
    shortcuts: [
      { keys: [['Mod', 'K']], what: 'Find a record in any table' },
      {
        keys: [['Mod', 'F']],
        what: 'Find text in this view (Enter, Shift+Enter, F3 step; Esc closes)',
      },
      { keys: [['Mod', '↑ ↓ ← →']], what: 'On a board: move the focused card' },
      { keys: [['Shift', 'Space']], what: 'Open the selected record' },
      {
        keys: [['Shift', 'Alt', '↓']],
        what: "The selected column's field menu: sort, filter, hide, edit, insert or delete",
      },
      {
        keys: [['↑'], ['Enter']],
        what: 'From the first row, ↑ goes to the column headers; Enter there opens the field menu',
      },
      { keys: [['Alt', 'H']], what: 'History of the selected cell' },
      { keys: [['Esc']], what: 'Close a dialog, menu or history' },
      { keys: [['?']], what: 'Show these shortcuts' },
    ],
  },
];

export const isMac = (): boolean =>
  typeof navigator !== 'undefined' &&
  /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

export const keyLabel = (key: string, mac = isMac()): string =>
  key === 'Mod' ? (mac ? '⌘' : 'Ctrl') : key === 'Alt' && mac ? '⌥' : key;

import type { Locator } from 'playwright-core';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A person's typing into a field: a click, then a key every 50–100 ms. */
export async function typeLikeAPerson(field: Locator, text: string): Promise<void> {
  await field.click();
  for (const ch of text) {
    await field.page().keyboard.type(ch, { delay: 0 });
    await pause(50 + Math.random() * 50);
  }
}

/** Selects what a field holds and types over it, as a person does. */
export async function retypeLikeAPerson(field: Locator, text: string): Promise<void> {
  await field.click();
  await field.page().keyboard.press('ControlOrMeta+A');
  await field.page().keyboard.press('Backspace');
  await typeLikeAPerson(field, text);
}

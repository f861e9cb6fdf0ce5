import { act } from 'preact/test-utils';
import { flush } from './dom';

// What a person does in a dom test, by data-testid: type into a field, pick an option, click.

export const byTestId = <T extends HTMLElement = HTMLInputElement>(el: ParentNode, testid: string) => el.querySelector<T>(`[data-testid="${testid}"]`)!;

/** Types a whole value into an input or textarea (one input event, as preact's onInput reads). */
export const typeInto = (el: ParentNode, testid: string, value: string) =>
  void act(() => {
    const field = byTestId<HTMLInputElement | HTMLTextAreaElement>(el, testid);
    field.value = value;
    field.dispatchEvent(new Event('input', { bubbles: true }));
  });

/** Picks an option of a select, then lets the answers it asks for arrive. */
export async function choose(field: HTMLSelectElement, value: string): Promise<void> {
  await act(async () => {
    field.value = value;
    field.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await flush();
}

/** Clicks, then lets the answers it asks for arrive. */
export async function clickAndFlush(target: HTMLElement): Promise<void> {
  await act(async () => void target.click());
  await flush();
}

// Tiny DOM helpers: h() builds elements, load() shows loading and error states for a request.
type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | boolean | ((event: Event) => void) | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) element.setAttribute(name, '');
    else if (typeof value === 'string') element.setAttribute(name, value);
  }
  for (const child of children) if (child) element.append(child);
  return element;
}

export function money(value: { amount: string; currencyCode: string } | null | undefined): string {
  if (!value) return '—';
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: value.currencyCode }).format(Number(value.amount));
}

export const errorBox = (error: unknown) =>
  h('p', { class: 'error', role: 'alert' }, error instanceof Error ? error.message : String(error));

/** Shows a spinner in `target` while `work` runs, then its result, or the error with a retry button. */
export async function load<T>(target: HTMLElement, work: () => Promise<T>, render: (value: T) => Child | Child[]): Promise<void> {
  target.replaceChildren(h('div', { class: 'loading', 'aria-busy': 'true' }, 'Loading…'));
  try {
    const value = await work();
    const rendered = render(value);
    target.replaceChildren(...(Array.isArray(rendered) ? rendered : [rendered]).filter((c): c is Node | string => Boolean(c)));
  } catch (error) {
    target.replaceChildren(
      errorBox(error),
      h('button', { class: 'secondary', onclick: () => void load(target, work, render) }, 'Try again'),
    );
  }
}

/** Runs a button's action with the button disabled, showing any error next to it. */
export async function busy(button: HTMLButtonElement | HTMLInputElement, action: () => Promise<void>, errors: HTMLElement): Promise<void> {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  errors.replaceChildren();
  try {
    await action();
  } catch (error) {
    errors.replaceChildren(errorBox(error));
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

/** An in-app link: navigates without reloading the page. */
export const link = (href: string, attrs: Attrs, ...children: Child[]) =>
  h('a', { ...attrs, href, onclick: (e: Event) => (e.preventDefault(), navigate(href)) }, ...children);

export function navigate(href: string): void {
  history.pushState(null, '', href);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

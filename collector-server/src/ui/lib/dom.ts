/**
 * The only way the UI builds DOM. Text always becomes text nodes; attributes go through
 * setAttribute with a deny-list for the dangerous ones; links and image sources are checked.
 * There is no path from a data string to HTML parsing.
 */
import { safeHref } from './safe-url.js';

export type Child = Node | string | number | null | undefined | false | readonly Child[];
type Handler = (event: never) => void;
export type Props = Record<string, string | number | boolean | null | undefined | Handler>;

const FORBIDDEN_ATTRIBUTES = new Set(['style', 'srcdoc', 'formaction', 'action', 'xlink:href']);

/** Image sources the UI may set: our own API, and object/data URLs of images it made itself. */
export function safeImageSrc(src: string): string | null {
  if (src.startsWith('/api/v1/')) return src;
  if (src.startsWith('blob:') || src.startsWith('data:image/png;base64,')) return src;
  return null;
}

export function setAttr(
  el: Element,
  name: string,
  value: string | number | boolean | null | undefined,
): void {
  const lower = name.toLowerCase();
  if (lower.startsWith('on') || FORBIDDEN_ATTRIBUTES.has(lower)) {
    throw new Error(`refusing to set attribute ${name}`);
  }
  if (value === null || value === undefined || value === false) {
    el.removeAttribute(name);
    return;
  }
  let text = value === true ? '' : String(value);
  if (lower === 'href') {
    const safe = text.startsWith('#') || text.startsWith('/') ? text : safeHref(text);
    if (safe === null) {
      el.removeAttribute(name);
      return;
    }
    text = safe;
  }
  if (lower === 'src') {
    const safe = safeImageSrc(text);
    if (safe === null) {
      el.removeAttribute(name);
      return;
    }
    text = safe;
  }
  el.setAttribute(name, text);
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, ...(child as Child[]));
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (typeof value === 'function') {
      if (!key.startsWith('on')) throw new Error(`handler on non-event prop ${key}`);
      el.addEventListener(key.slice(2).toLowerCase(), value as EventListener);
    } else if (key === 'class') {
      el.className = value === null || value === undefined || value === false ? '' : String(value);
    } else {
      setAttr(el, key, value);
    }
  }
  append(el, ...children);
  return el;
}

export function clear(el: Element): void {
  el.replaceChildren();
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
}

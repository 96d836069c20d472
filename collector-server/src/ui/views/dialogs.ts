/** Modal dialogs on native <dialog>: focus is trapped and Escape cancels, as assistive tech expects. */
import { h } from '../lib/dom.js';

export interface ReasonDialogOptions {
  title: string;
  intro?: string;
  label: string;
  confirm: string;
  required: boolean;
  danger?: boolean;
  extra?: { label: string };
}

export interface ReasonAnswer {
  text: string;
  extra: string;
}

/** Asks for a reason or a note; resolves null on cancel. */
export function askReason(opts: ReasonDialogOptions): Promise<ReasonAnswer | null> {
  return new Promise((resolve) => {
    const text = h('textarea', {
      id: 'dialog-text',
      rows: 4,
      'aria-required': opts.required ? 'true' : 'false',
      maxlength: 2000,
    });
    const extraField = opts.extra ? h('textarea', { id: 'dialog-extra', rows: 2, maxlength: 2000 }) : null;
    const error = h('p', { class: 'form-error', role: 'alert' });
    let answer: ReasonAnswer | null = null;
    const dialog = h(
      'dialog',
      { class: 'dialog', 'aria-labelledby': 'dialog-title' },
      h(
        'form',
        {
          method: 'dialog',
          // Our own check announces the problem in the dialog's alert, for screen readers too.
          novalidate: true,
          onsubmit: (e: SubmitEvent) => {
            const value = text.value.trim();
            if (opts.required && value.length === 0) {
              e.preventDefault();
              error.textContent = 'Please give a reason.';
              text.focus();
              return;
            }
            answer = { text: value, extra: extraField?.value.trim() ?? '' };
          },
        },
        h('h2', { id: 'dialog-title' }, opts.title),
        opts.intro ? h('p', { class: 'dialog-intro' }, opts.intro) : null,
        h('label', { for: 'dialog-text' }, opts.label),
        text,
        extraField && opts.extra ? [h('label', { for: 'dialog-extra' }, opts.extra.label), extraField] : null,
        error,
        h(
          'div',
          { class: 'dialog-buttons' },
          h(
            'button',
            { type: 'submit', class: opts.danger ? 'btn btn-danger' : 'btn btn-primary' },
            opts.confirm,
          ),
          h('button', { type: 'button', class: 'btn', onclick: () => dialog.close() }, 'Cancel'),
        ),
      ),
    );
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(answer);
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    text.focus();
  });
}

const SHORTCUTS: [string, string][] = [
  ['j or ↓', 'Next capture'],
  ['k or ↑', 'Previous capture'],
  ['o or Enter', 'Open the capture; on a capture, zoom the image'],
  ['x or Space', 'Select or unselect the row'],
  ['→ / ←', 'Expand or collapse a group'],
  ['d', 'Dismiss as false positive'],
  ['Shift+D', 'Dismiss and suggest a lexicon exception'],
  ['r', 'Reviewed – no action'],
  ['e', 'Escalate to the safeguarding lead'],
  ['n', 'Add a note'],
  ['u', 'Undo the last action'],
  ['/', 'Search'],
  ['Esc', 'Back to the queue'],
  ['?', 'This help'],
];

export function showHelp(): void {
  if (document.querySelector('dialog[open]')) return;
  const dialog = h(
    'dialog',
    { class: 'dialog dialog-help', 'aria-labelledby': 'help-title' },
    h('h2', { id: 'help-title' }, 'Keyboard shortcuts'),
    h(
      'table',
      { class: 'shortcuts' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'Action'))),
      h(
        'tbody',
        null,
        SHORTCUTS.map(([key, what]) =>
          h('tr', null, h('td', null, h('kbd', null, key)), h('td', null, what)),
        ),
      ),
    ),
    h(
      'div',
      { class: 'dialog-buttons' },
      h('button', { type: 'button', class: 'btn btn-primary', onclick: () => dialog.close() }, 'Close'),
    ),
  );
  dialog.addEventListener('close', () => dialog.remove());
  document.body.appendChild(dialog);
  dialog.showModal();
}

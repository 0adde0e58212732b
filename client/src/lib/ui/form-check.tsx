import { useState, type FormEvent } from 'react';
import { useI18n, type MessageKey } from '../i18n.js';

type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
const isField = (el: Element): el is Field => el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement;

/** A field's name as its label shows it (the label's own text, without the control inside it). */
function fieldName(el: Field): string {
  const label = el.labels?.[0];
  if (!label) return el.getAttribute('aria-label') ?? el.name;
  const copy = label.cloneNode(true) as HTMLElement;
  copy.querySelectorAll('input, select, textarea').forEach((c) => c.remove());
  return (copy.textContent ?? '').trim();
}

/** What is wrong with a field the browser's constraints find invalid, as a key and its words. */
function fieldProblem(el: Field): [MessageKey, Record<string, string | number>] | null {
  const v = el.validity;
  if (v.valid) return null;
  const field = fieldName(el);
  if (v.valueMissing) return ['fieldMissing', { field }];
  if (v.tooShort && 'minLength' in el) return ['fieldTooShort', { field, n: el.minLength }];
  if ((v.rangeUnderflow || v.rangeOverflow || v.badInput) && el instanceof HTMLInputElement) return ['fieldRange', { field, min: el.min, max: el.max }];
  return ['fieldInvalid', { field }];
}

/**
 * The board checks its own forms (render them noValidate): the browser's bubble speaks the
 * browser's language, not the board's, and leaves nothing a screen reader can find again.
 * `onSubmit(run)` runs `run` only when every field is valid; otherwise it shows each problem in the
 * board's words, marks the fields aria-invalid and focuses the first.
 */
export function useFormCheck() {
  const { t } = useI18n();
  const [problems, setProblems] = useState<string[]>([]);
  const onSubmit = (run: (e: FormEvent<HTMLFormElement>) => void) => (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const fields = [...e.currentTarget.elements].filter(isField);
    const bad: Array<[Field, string]> = [];
    for (const el of fields) {
      const problem = fieldProblem(el);
      if (problem) bad.push([el, t(...problem)]);
      if (problem) el.setAttribute('aria-invalid', 'true');
      else el.removeAttribute('aria-invalid');
    }
    setProblems(bad.map(([, words]) => words));
    if (bad.length > 0) bad[0]![0].focus();
    else run(e);
  };
  const view = problems.length > 0 ? <p className="error" role="alert" data-testid="form-problems">{problems.join(' ')}</p> : null;
  return { onSubmit, problems: view, clear: () => setProblems([]) };
}

import { useEffect, useState } from 'react';

/** Form state that survives a reload or a reconnect: what a coordinator typed is never lost. */
export function useDraft<T>(key: string, initial: T): [T, (next: T) => void, () => void] {
  const storageKey = `sl-draft:${key}`;
  const [value, setValue] = useState<T>(() => {
    try {
      const saved = sessionStorage.getItem(storageKey);
      return saved ? ({ ...initial, ...(JSON.parse(saved) as T) } as T) : initial;
    } catch {
      return initial;
    }
  });
  useEffect(() => {
    try {
      sessionStorage.setItem(storageKey, JSON.stringify(value));
    } catch {
      /* storage full or disabled: the form still works */
    }
  }, [storageKey, value]);
  const clear = () => {
    sessionStorage.removeItem(storageKey);
    setValue(initial);
  };
  return [value, setValue, clear];
}

import { useEffect, useState } from 'preact/hooks';

export interface Loaded<T> {
  value: T | null;
  error: unknown;
  reload: () => void;
  /** replaces the value without asking the server (a write answered with the new state) */
  set: (value: T) => void;
}

/** Loads once per `key` change; `reload` asks again. An answer that arrives after unmount is dropped. */
export function useLoad<T>(load: () => Promise<T>, key: unknown): Loaded<T> {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    load().then(
      (answer) => live && setValue(answer),
      (failure: unknown) => live && setError(failure),
    );
    return () => {
      live = false;
    };
  }, [key, attempt]);
  return { value, error, reload: () => setAttempt((n) => n + 1), set: setValue };
}

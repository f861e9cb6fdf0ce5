import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/locale';
import type { FormResult } from '../logic/notify-form';
import type { ShownError } from './service-common';

/**
 * The state of a notification editor (a channel or a rule): the form as typed, the problems found
 * before sending, the server's refusal, and a busy flag while a write runs. `submit` sends the
 * checked request, or shows the problems; `run` any other write (delete). Both call `onDone` on success.
 */
export function useNotifyEditor<F extends object>(initial: () => F, onDone: () => void) {
  const { t } = useI18n();
  const [form, setForm] = useState<F>(initial);
  const [errors, setErrors] = useState<ShownError[]>([]);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<F>) => setForm((before) => ({ ...before, ...patch }));
  const run = (work: () => Promise<unknown>) => {
    setBusy(true);
    setFailure(null);
    work().then(onDone, setFailure).finally(() => setBusy(false));
  };
  const submit = <B>(result: FormResult<B>, save: (body: B) => Promise<unknown>) => {
    setErrors(result.ok ? [] : result.problems.map((p) => ({ key: p.key, label: t(p.field) })));
    if (result.ok) run(() => save(result.body));
  };
  return { form, set, errors, failure, busy, run, submit };
}

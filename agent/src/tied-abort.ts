/** A short-lived AbortController tied to a long-lived signal; see `tiedAbortController`. */
export interface TiedAbortController {
  readonly controller: AbortController;
  /** Unties the controller from the long-lived signal; call it when the work is done (in a `finally`). */
  release(): void;
}

/**
 * A fresh AbortController that aborts (with `parent`'s reason) when `parent` does, until `release()`.
 * For work that lasts a moment under a signal that lasts the agent's life (the probe loop's or the
 * link's stop). Not `AbortSignal.any([parent, …])`: Node keeps every such dependant for `parent`'s
 * life, a leak of a few KB per call on a till that runs for months (found by the soak, bd90851).
 */
export function tiedAbortController(parent: AbortSignal): TiedAbortController {
  const controller = new AbortController();
  const onAbort = () => controller.abort(parent.reason);
  if (parent.aborted) onAbort();
  else parent.addEventListener('abort', onAbort, { once: true });
  return { controller, release: () => parent.removeEventListener('abort', onAbort) };
}

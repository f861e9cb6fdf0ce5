// "Тестовая печать / Test print" on a receipt-printer ticket: asks once more, then sends the
// request; the result arrives in the timeline and the checklist's test-print step.
import type { RegisterDetail, RegisterSummary, TicketDetail } from '@tillscope/shared';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { useI18n } from '../i18n/locale';

export interface TestPrintActionProps {
  ticket: TicketDetail;
  register: RegisterSummary | RegisterDetail | undefined;
  api: ApiClient;
  busy: boolean;
  /** the screen's act(): runs the request with the busy flag and shows its error */
  act: (fn: () => Promise<void>) => Promise<boolean>;
}

export function TestPrintAction({ ticket, register, api, busy, act }: TestPrintActionProps) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [sent, setSent] = useState(false);
  if (ticket.device?.kind !== 'receipt-printer') return null;
  const offline = !register || !register.connected;
  const send = () =>
    void act(async () => {
      setSent(false);
      await api.testPrint(ticket.id);
      setSent(true);
    }).then(() => setConfirming(false));
  return (
    <>
      <button
        type="button"
        class={`btn ${confirming ? 'on' : ''}`}
        data-testid="action-test-print"
        title={offline ? t('ticket.probeOffline') : t('testPrint.title')}
        disabled={busy || offline}
        onClick={() => setConfirming(!confirming)}
      >
        {t('testPrint.button')}
      </button>
      {confirming ? (
        <span class="confirm" data-testid="test-print-confirm">
          {t('testPrint.confirm', { device: ticket.device.model ?? ticket.device.deviceId })}{' '}
          <button type="button" class="btn btn-primary" data-testid="test-print-confirm-yes" disabled={busy || offline} onClick={send}>
            {t('testPrint.confirmYes')}
          </button>{' '}
          <button type="button" class="btn btn-ghost" onClick={() => setConfirming(false)}>
            {t('ticket.cancel')}
          </button>
        </span>
      ) : null}
      {sent ? (
        <span class="muted" role="status" data-testid="test-print-sent">
          {t('testPrint.sent')}
        </span>
      ) : null}
    </>
  );
}

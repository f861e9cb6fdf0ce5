// The demo's notification channels, set up as an admin would in "Сервис / Service desk →
// Уведомления / Notifications", pointed at receivers the demo starts on loopback (the notify tests'
// own sinks): a webhook receiver that checks each delivery's HMAC signature, an SMTP sink for the
// e-mail channel, and an old webhook that answers 503 so its deliveries show retries with backoff.
//
// The channels are created only once the console's notify scan has read past the seeded history
// (weeks-old tickets must not page anyone today): the scan's cursor is watched on a second
// connection to the console's database.
import { setTimeout as sleep } from 'node:timers/promises';
import { NotifyChannel, NotifyRule, type UpsertChannelRequest, type UpsertRuleRequest } from '@tillscope/shared';
import { openConsoleDatabase } from '../../console/server/src/db/console-database';
import { webhookSignature } from '../../console/server/src/notify/channels/webhook';
import { startHttpSink, startSmtpSink, type HttpSink, type SmtpSink } from '../../console/server/src/test-support/notify-sinks';
import type { ConsoleApi } from './console-api';

const WEBHOOK_SECRET = 'demo-webhook-signing-secret';

export interface NotifyDemo {
  lines: string[];
  /** what the receivers got so far, for the demo's status line */
  received(): { webhook: number; signed: number; mails: number; refused: number };
  close(): Promise<void>;
}

/** Waits until the notify scan's cursor has passed every timeline event written so far (at most `timeoutMs`). */
async function scanPassedHistory(consoleDataDir: string, timeoutMs: number): Promise<boolean> {
  const db = await openConsoleDatabase(consoleDataDir);
  try {
    const newest = (await db.sql.get<{ id: number | null }>('SELECT MAX(id) AS id FROM ticket_events'))?.id ?? 0;
    for (const until = Date.now() + timeoutMs; Date.now() < until; await sleep(1000)) {
      const cursor = await db.sql.get<{ last_event_id: number }>('SELECT last_event_id FROM notify_cursor WHERE id = 1');
      if ((cursor?.last_event_id ?? 0) >= newest) return true;
    }
    return false;
  } finally {
    await db.close();
  }
}

function channels(webhook: HttpSink, smtp: SmtpSink, failing: HttpSink): UpsertChannelRequest[] {
  return [
    { kind: 'webhook', name: 'Дежурный инженер (вебхук) / On-call (webhook)', config: { url: `${webhook.url}/tillscope` }, secret: WEBHOOK_SECRET },
    { kind: 'email', name: 'Руководитель поддержки (почта) / Support manager (e-mail)', config: { host: smtp.host, port: smtp.port, secure: false, user: '', from: 'tillscope@support.example', to: ['manager@support.example'] } },
    { kind: 'webhook', name: 'Старая система заявок (не отвечает) / Old ticket system (down)', config: { url: `${failing.url}/legacy` }, secret: WEBHOOK_SECRET },
  ];
}

/** Which triggers each channel gets: the on-call hears everything, the manager P1s and escalations, quietly at night. */
function rules(ids: readonly number[]): UpsertRuleRequest[] {
  const [onCall, manager, legacy] = ids as [number, number, number];
  return [
    { channelId: onCall, group: null, triggers: ['p1_opened', 'sla_warning', 'escalated'] },
    { channelId: manager, group: null, triggers: ['p1_opened', 'escalated'], quiet: { from: '22:00', to: '08:00', timeZone: 'Europe/Moscow', p1Overrides: true } },
    { channelId: legacy, group: null, triggers: ['p1_opened', 'sla_warning'] },
  ];
}

export async function setUpNotifications(admin: ConsoleApi, consoleDataDir: string): Promise<NotifyDemo> {
  const webhook = await startHttpSink();
  const smtp = await startSmtpSink();
  const failing = await startHttpSink();
  failing.answer = 503;
  const close = async () => {
    await Promise.all([webhook.close(), smtp.close(), failing.close()]);
  };
  const received = () => ({
    webhook: webhook.received.length,
    signed: webhook.received.filter((r) => r.headers['x-tillscope-signature'] === webhookSignature(WEBHOOK_SECRET, r.raw)).length,
    mails: smtp.mails.length,
    refused: failing.received.length,
  });
  const passed = await scanPassedHistory(consoleDataDir, 120_000);
  const ids: number[] = [];
  for (const channel of channels(webhook, smtp, failing)) {
    const saved = await admin.send('POST', '/api/notify/channels', channel, (v) => NotifyChannel.parse(v));
    if (!saved) {
      await close();
      return { lines: ['notifications: not in this build yet'], received, close: () => Promise.resolve() };
    }
    ids.push(saved.id);
  }
  for (const rule of rules(ids)) await admin.send('POST', '/api/notify/rules', rule, (v) => NotifyRule.parse(v));
  return {
    lines: [
      `notifications (Сервис → Уведомления): a signed webhook to ${webhook.url}/tillscope (its receiver checks X-Tillscope-Signature), e-mail to an SMTP sink on port ${smtp.port}, `
        + `and an old webhook that answers 503: its deliveries retry with backoff (delivery status shows the attempts)${passed ? '' : ' (the notify scan had not caught up with the history: old events may be sent)'}`,
    ],
    received,
    close,
  };
}

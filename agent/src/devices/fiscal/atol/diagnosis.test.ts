import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogueEntry, type Finding } from '@tillscope/shared';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FISCAL_THRESHOLDS } from '../../common/fiscal-rules';
import { DEFAULT_DOCUMENT_OPEN_FIELD, decodeTaskResult, mergeReading } from './answers';
import { ATOL_CODES, diagnoseAtol, type AtolObservation, type ProbeStop, type TaskRecord } from './diagnosis';
import { ATOL_ERROR_CODES } from './error-codes';
import type { ReadOnlyTask, TaskResultEnvelope } from './protocol';

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'healthy-results.json'), 'utf8')) as { tasks: ReadOnlyTask[]; answer: { results: TaskResultEnvelope[] } };
const NOW = new Date('2026-03-02T07:00:00Z');

/** An observation from the healthy fixture with some results replaced. */
function observe(replace: Partial<Record<ReadOnlyTask, TaskResultEnvelope | undefined>> = {}, stop?: ProbeStop): AtolObservation {
  const tasks: TaskRecord[] = fixture.tasks.map((type, i) => {
    const envelope = type in replace ? replace[type] : structuredClone(fixture.answer.results[i]!);
    return { type, ...(envelope ? { envelope } : {}), decoding: decodeTaskResult(type, envelope, { readAt: NOW, documentOpenField: DEFAULT_DOCUMENT_OPEN_FIELD }) };
  });
  return { tasks, reading: mergeReading(tasks.map((t) => t.decoding.part)), canceled: false, now: NOW, thresholds: DEFAULT_FISCAL_THRESHOLDS, ...(stop ? { stop } : {}) };
}

const error = (code: number): TaskResultEnvelope => ({ status: 'error', error: { code, description: '' } });
const codes = (findings: Finding[]) => findings.map((f) => f.code);

describe('ATOL diagnosis', () => {
  it('healthy: ok, no findings, every checklist step passed', () => {
    const d = diagnoseAtol(observe());
    expect([d.health, d.findings]).toEqual(['ok', []]);
    expect(d.checklist.every((a) => a.result === 'passed')).toBe(true);
  });

  it('every ATOL error code with a finding gives that finding on any task, and only listed codes', () => {
    for (const [code, entry] of Object.entries(ATOL_ERROR_CODES)) {
      if (!entry.finding) continue;
      const d = diagnoseAtol(observe({ getShiftStatus: error(Number(code)) }));
      expect(codes(d.findings), `code ${code}`).toContain(entry.finding);
      for (const f of d.findings) expect(ATOL_CODES).toContain(f.code);
    }
  });

  it('the web server failing: no_reply (fault); the agent canceling: unknown', () => {
    const failed = diagnoseAtol(observe({}, { kind: 'failure', failure: { kind: 'cannot_connect', during: 'POST', detail: 'nothing answers' } }));
    expect([failed.health, failed.findings]).toEqual(['fault', [{ code: 'fiscal.no_reply', detail: 'nothing answers' }]]);
    expect(failed.checklist[0]).toEqual({ step: 'fiscal.answers', result: 'failed', observed: 'nothing answers' });
    const canceled = diagnoseAtol({ ...observe({}, { kind: 'failure', failure: { kind: 'canceled', during: 'GET', detail: 'x' } }) });
    expect([canceled.health, canceled.findings]).toEqual(['unknown', []]);
  });

  it('queue blocked by another client or our own task, queue timeout: their findings, health from severity', () => {
    const foreign = diagnoseAtol(observe({}, { kind: 'blocked', blockedUUID: 'abc' }));
    expect(foreign.findings[0]?.detail).toMatch(/another client's task \(abc\) blocks the queue/);
    expect(foreign.health).toBe('fault');
    const timeout = diagnoseAtol(observe({}, { kind: 'queue_timeout', pending: ['getFnInfo'], deadlineMs: 2000 }));
    expect(codes(timeout.findings)).toEqual(['fiscal.queue_timeout']);
    expect(catalogueEntry('fiscal.queue_timeout').severity).toBe('major');
  });

  it('a document open: unknown, nothing found, only "answers" passed', () => {
    const d = diagnoseAtol(observe({}, { kind: 'document_open' }));
    expect([d.health, d.findings]).toEqual(['unknown', []]);
    expect(d.checklist.map((a) => a.result)).toEqual(['passed', 'unknown', 'unknown', 'unknown', 'unknown', 'unknown']);
  });

  it('a task that is not valid makes health unknown, never ok; ISM alone does not', () => {
    expect(diagnoseAtol(observe({ getFnInfo: { status: 'interrupted' } })).health).toBe('unknown');
    expect(diagnoseAtol(observe({ getDeviceInfo: undefined })).health).toBe('unknown');
    expect(diagnoseAtol(observe({ ismExchangeStatus: error(999) })).health).toBe('ok');
  });

  it('no fiscal drive found: fn_critical_error', () => {
    const status = structuredClone(fixture.answer.results[0]!) as { result: { deviceStatus: Record<string, unknown> } } & TaskResultEnvelope;
    status.result.deviceStatus.fnPresent = false;
    expect(codes(diagnoseAtol(observe({ getDeviceStatus: status })).findings)).toEqual(['fiscal.fn_critical_error']);
  });
});

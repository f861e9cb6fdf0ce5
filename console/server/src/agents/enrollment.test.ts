import { EnrollResponse } from '@tillscope/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiCall, startTestConsole, TestAgent, type TestConsole } from '../test-support/console-harness';

let test: TestConsole;
beforeEach(async () => {
  test = await startTestConsole();
});
afterEach(() => test.dispose());

const enrollBody = (token: string, registerId = 'till-1') => ({ token, storeId: 'store-1', registerId, hostname: 'till' });

describe('enrollment', () => {
  it('issues a credential that opens the agent socket', async () => {
    const { token } = await test.server.createEnrollmentToken({ maxUses: 1, ttlHours: 1, note: '' });
    const { status, json } = await apiCall(test.server.url, 'POST', '/api/agents/enroll', undefined, enrollBody(token));
    expect(status).toBe(201);
    const { agentId, credential } = EnrollResponse.parse(json);
    expect(credential.startsWith(`${agentId}.`)).toBe(true);
    const agent = await TestAgent.connect(test.server.url, credential);
    agent.close();
  });

  it('refuses a used-up token', async () => {
    const { token } = await test.server.createEnrollmentToken({ maxUses: 1, ttlHours: 1, note: '' });
    expect((await apiCall(test.server.url, 'POST', '/api/agents/enroll', undefined, enrollBody(token, 'till-1'))).status).toBe(201);
    const second = await apiCall(test.server.url, 'POST', '/api/agents/enroll', undefined, enrollBody(token, 'till-2'));
    expect(second).toEqual({ status: 401, json: expect.objectContaining({ ok: false, code: 'token_invalid' }) });
  });

  it('refuses an expired token', async () => {
    const { token } = await test.server.createEnrollmentToken({ maxUses: 5, ttlHours: 1, note: '' });
    test.clock.advanceSeconds(3601);
    expect((await apiCall(test.server.url, 'POST', '/api/agents/enroll', undefined, enrollBody(token))).json).toMatchObject({ code: 'token_invalid' });
  });

  it('rate-limits an address that keeps failing', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 21; attempt++) {
      statuses.push((await apiCall(test.server.url, 'POST', '/api/agents/enroll', undefined, enrollBody(`tse_guess_${attempt}`))).status);
    }
    expect(statuses.at(-1)).toBe(429);
    const { token } = await test.server.createEnrollmentToken({ maxUses: 1, ttlHours: 1, note: '' });
    expect((await apiCall(test.server.url, 'POST', '/api/agents/enroll', undefined, enrollBody(token))).status).toBe(429);
  });
});

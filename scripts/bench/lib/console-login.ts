/** Logs in over the REST API and returns the session cookie (`name=value`) for later requests and /ws/feed. */
export async function loginCookie(baseUrl: string, user: { username: string; password: string }): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user.username, password: user.password }),
  }).catch((error: unknown) => {
    // undici says only "fetch failed"; the reason (refused, reset, EMFILE…) is in its cause.
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    throw new Error(`bench login as ${user.username} could not reach ${baseUrl}${cause}`, { cause: error });
  });
  if (response.status !== 200) throw new Error(`bench login as ${user.username} failed: HTTP ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
  if (!cookie) throw new Error(`bench login as ${user.username}: no session cookie`);
  return cookie;
}

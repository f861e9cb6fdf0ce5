// The demo acts on the console the way its users would: over the REST API, logged in with a session cookie.

export interface ConsoleApi {
  /** GET; `undefined` when the route does not exist in this build (404). */
  get<T>(path: string, parse: (value: unknown) => T): Promise<T | undefined>;
  /** PUT/POST with a JSON body; `undefined` on 404; any other failure throws with the console's answer. */
  send<T>(method: 'PUT' | 'POST', path: string, body: unknown, parse: (value: unknown) => T): Promise<T | undefined>;
}

export async function logIn(consoleUrl: string, user: { username: string; password: string }): Promise<ConsoleApi> {
  const response = await fetch(`${consoleUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(user) });
  if (!response.ok) throw new Error(`login as ${user.username} failed: HTTP ${response.status}`);
  const cookie = response.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
  const call = async <T>(method: string, path: string, body: unknown, parse: (value: unknown) => T): Promise<T | undefined> => {
    const answer = await fetch(`${consoleUrl}${path}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (answer.status === 404) {
      const text = await answer.text();
      // an API route this build does not have yet (create-app's catch-all) vs a route saying "no such thing"
      if (text.includes('no such API route')) return undefined;
      throw new Error(`${method} ${path}: HTTP 404 ${text}`);
    }
    if (!answer.ok) throw new Error(`${method} ${path}: HTTP ${answer.status} ${await answer.text()}`);
    return parse(await answer.json());
  };
  return {
    get: (path, parse) => call('GET', path, undefined, parse),
    send: (method, path, body, parse) => call(method, path, body, parse),
  };
}

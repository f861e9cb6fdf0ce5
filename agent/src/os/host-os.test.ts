// The real HostOs on this machine's real file system, tools and systeminformation; the replay and
// the recorder against each other.
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostOs, type SystemInformationModule } from './host-os-real';
import { createRecordingHostOs } from './host-os-record';
import { HostFixture, replayHostOs, withRuns, withSystem } from './host-os-replay';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'host-os-'));
  await writeFile(path.join(dir, 'frontol.ini'), 'password=secret\n[main]\n');
  await mkdir(path.join(dir, 'by-id'));
  await symlink('../frontol.ini', path.join(dir, 'by-id', 'link'));
  await writeFile(path.join(dir, 'locked.ini'), 'x');
  await chmod(path.join(dir, 'locked.ini'), 0o000);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const isRoot = userInfo().uid === 0;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('createHostOs (real)', () => {
  const os = createHostOs();

  it('reads, hashes, lists and resolves real files, telling missing, too large and denied apart', async () => {
    const file = path.join(dir, 'frontol.ini');
    expect(await os.readFile(file, 1024)).toEqual({ kind: 'ok', text: 'password=secret\n[main]\n' });
    expect(await os.readFile(file, 4)).toEqual({ kind: 'too_large', maxBytes: 4 });
    expect(await os.readFile(path.join(dir, 'nope.ini'), 1024)).toEqual({ kind: 'missing' });
    expect(await os.hashFile(file, 1024)).toMatchObject({ kind: 'ok', sha256: sha256('password=secret\n[main]\n'), sizeBytes: 23 });
    expect(await os.hashFile(file, 4)).toEqual({ kind: 'too_large', maxBytes: 4 });
    expect(await os.hashFile(dir, 1024)).toMatchObject({ kind: 'failed' });
    if (!isRoot) {
      expect(await os.readFile(path.join(dir, 'locked.ini'), 1024)).toEqual({ kind: 'denied' });
      expect(await os.hashFile(path.join(dir, 'locked.ini'), 1024)).toEqual({ kind: 'denied' });
    }
    expect((await os.readdir(dir))?.sort()).toEqual(['by-id', 'frontol.ini', 'locked.ini']);
    expect(await os.readdir(path.join(dir, 'nope'))).toBeNull();
    expect(await os.readlink(path.join(dir, 'by-id', 'link'))).toBe(file);
    expect(await os.readlink(file)).toBeNull();
    expect([await os.exists(file), await os.exists(path.join(dir, 'by-id')), await os.exists(path.join(dir, 'nope'))]).toEqual([true, true, false]);
  });

  it('resolves a relative link against the folder it really is in (sysfs: /sys/class/tty/ttyS0/device)', async () => {
    const sys = await mkdtemp(path.join(tmpdir(), 'host-os-sys-'));
    try {
      const real = path.join(sys, 'devices', 'pnp0', '00:00', 'tty', 'ttyS0');
      await mkdir(real, { recursive: true });
      await mkdir(path.join(sys, 'class', 'tty'), { recursive: true });
      await symlink('../../devices/pnp0/00:00/tty/ttyS0', path.join(sys, 'class', 'tty', 'ttyS0'));
      await symlink('../../../00:00', path.join(real, 'device'));
      expect(await os.readlink(path.join(sys, 'class', 'tty', 'ttyS0', 'device'))).toBe(path.join(await realpath(sys), 'devices', 'pnp0', '00:00'));
    } finally {
      await rm(sys, { recursive: true, force: true });
    }
  });

  it('runs a real tool without a shell', async () => {
    expect(await os.run({ file: 'uname', args: ['-s'], timeoutMs: 5_000, maxOutputBytes: 1024 })).toMatchObject({ kind: 'ok', stdout: 'Linux\n' });
    expect(await os.run({ file: 'no-such-tool-tillscope', args: [], timeoutMs: 5_000, maxOutputBytes: 1024 })).toMatchObject({ kind: 'missing' });
  });

  it('answers systeminformation facts of this machine', async () => {
    const info = await os.system.osInfo();
    expect(info.platform).toBe('linux');
    expect(info.kernel).toMatch(/^\d+\.\d+/);
    expect((await os.system.mem()).total).toBeGreaterThan(0);
    expect((await os.system.time()).uptime).toBeGreaterThan(0);
    expect((await os.system.fsSize()).some((v) => v.mount === '/')).toBe(true);
  });

  it('lets a probe read only the allowed environment variables', () => {
    const env = { HOME: '/home/till', TILLSCOPE_TOKEN: 'secret', LANG: 'ru_RU.UTF-8' };
    const linux = createHostOs({ platform: 'linux', env });
    expect([linux.env('HOME'), linux.env('LANG'), linux.env('TILLSCOPE_TOKEN'), linux.env('home')]).toEqual(['/home/till', 'ru_RU.UTF-8', undefined, undefined]);
    const windows = createHostOs({ platform: 'win32', env: { ProgramFiles: 'C:\\Program Files', SYSTEMROOT: 'C:\\Windows', API_KEY: 'k' } });
    expect([windows.env('ProgramFiles'), windows.env('SystemRoot'), windows.env('api_key')]).toEqual(['C:\\Program Files', 'C:\\Windows', undefined]);
  });

  it('rejects a systeminformation call that hangs, at its timeout', async () => {
    const hanging = { osInfo: () => new Promise(() => {}) } as unknown as SystemInformationModule;
    const os2 = createHostOs({ loadSystemInformation: () => Promise.resolve(hanging), systemCallTimeoutMs: 20 });
    await expect(os2.system.osInfo()).rejects.toThrow('systeminformation osInfo() did not answer within 20 ms');
  });
});

describe('replayHostOs and createRecordingHostOs', () => {
  it('replays what the recorder saw on the real machine', async () => {
    const recorder = createRecordingHostOs(createHostOs());
    const real = recorder.os;
    const file = path.join(dir, 'frontol.ini');
    const answers = [
      await real.run({ file: 'uname', args: ['-s'], timeoutMs: 5_000, maxOutputBytes: 1024 }),
      await real.run({ file: 'no-such-tool-tillscope', args: ['x'], timeoutMs: 5_000, maxOutputBytes: 1024 }),
      await real.readFile(file, 1024),
      await real.hashFile(file, 1024),
      await real.readdir(dir),
      await real.readlink(path.join(dir, 'by-id', 'link')),
      await real.exists(path.join(dir, 'by-id')),
      await real.system.mem(),
    ];
    const fixture = HostFixture.parse(JSON.parse(JSON.stringify(recorder.fixture('recorder round trip'))));
    expect(fixture).toMatchObject({ origin: 'recorded', platform: 'linux', machine: expect.stringMatching(/^Linux /) });
    const replay = replayHostOs(fixture);
    const replayed = [
      await replay.run({ file: 'uname', args: ['-s'], timeoutMs: 5_000, maxOutputBytes: 1024 }),
      await replay.run({ file: 'no-such-tool-tillscope', args: ['x'], timeoutMs: 5_000, maxOutputBytes: 1024 }),
      await replay.readFile(file, 1024),
      await replay.hashFile(file, 1024),
      await replay.readdir(dir),
      await replay.readlink(path.join(dir, 'by-id', 'link')),
      await replay.exists(path.join(dir, 'by-id')),
      await replay.system.mem(),
    ];
    expect(replayed).toEqual(answers);
  });

  const base = HostFixture.parse({
    origin: 'transcribed',
    description: 'test',
    sources: ['host-os.test.ts'],
    platform: 'win32',
    runs: [{ file: 'w32tm', args: ['/query', '/status'], stdout: 'Leap Indicator: 0(no warning)\r\n' }],
    files: { 'C:\\Frontol\\frontol.ini': { text: 'a' }, 'C:\\locked.ini': { error: 'denied' } },
    system: { mem: { total: 8, available: 4 } },
  });
  const request = (file: string, args: string[], signal?: AbortSignal) => ({ file, args, timeoutMs: 50, maxOutputBytes: 1024, ...(signal ? { signal } : {}) });

  it('fails loudly on a run the fixture lacks, and answers missing, timeout and hang as the real runner would', async () => {
    const seen: string[][] = [];
    const os = replayHostOs(base, { seen });
    await expect(os.run(request('w32tm', ['/query', '/source']))).rejects.toThrow('fixture "test" has no run of w32tm /query /source');
    expect(await os.run(request('w32tm', ['/query', '/status']))).toMatchObject({ kind: 'ok', stdout: 'Leap Indicator: 0(no warning)\r\n' });
    expect(seen).toEqual([['w32tm', '/query', '/source'], ['w32tm', '/query', '/status']]);
    const varied = replayHostOs(withRuns(base, { file: 'w32tm', args: ['/query', '/status'], result: 'missing' }, { file: 'tzutil', args: ['/g'], result: 'timeout' }, { file: 'slow', args: [], result: 'hang' }, { file: 'bad', args: [], exitCode: 5, stderr: 'Access is denied.' }));
    expect(await varied.run(request('w32tm', ['/query', '/status']))).toMatchObject({ kind: 'missing' });
    expect(await varied.run(request('tzutil', ['/g']))).toEqual({ kind: 'timeout', timeoutMs: 50 });
    expect(await varied.run(request('slow', []))).toEqual({ kind: 'timeout', timeoutMs: 50 });
    const abort = new AbortController();
    const hung = varied.run({ ...request('slow', [], abort.signal), timeoutMs: 60_000 });
    abort.abort();
    expect(await hung).toEqual({ kind: 'canceled' });
    expect(await varied.run(request('bad', []))).toEqual({ kind: 'exit', exitCode: 5, stdout: '', stderr: 'Access is denied.' });
  });

  it('replays files and systeminformation, an absent one as missing or rejected', async () => {
    const os = replayHostOs(withSystem(base, { fsSize: { error: 'df: not found' } }));
    expect(await os.readFile('C:\\Frontol\\frontol.ini', 10)).toEqual({ kind: 'ok', text: 'a' });
    expect(await os.readFile('C:\\locked.ini', 10)).toEqual({ kind: 'denied' });
    expect(await os.readFile('C:\\other.ini', 10)).toEqual({ kind: 'missing' });
    expect(await os.hashFile('C:\\Frontol\\frontol.ini', 10)).toMatchObject({ kind: 'ok', sha256: sha256('a'), sizeBytes: 1 });
    expect(await os.system.mem()).toEqual({ total: 8, available: 4 });
    await expect(os.system.fsSize()).rejects.toThrow('df: not found');
    await expect(os.system.osInfo()).rejects.toThrow('fixture "test" has no systeminformation osInfo()');
  });

  it('refuses a recorded fixture without date and machine, and a transcribed one without sources', () => {
    expect(HostFixture.safeParse({ origin: 'recorded', description: 'x', platform: 'linux' }).success).toBe(false);
    expect(HostFixture.safeParse({ origin: 'transcribed', description: 'x', platform: 'win32' }).success).toBe(false);
  });
});

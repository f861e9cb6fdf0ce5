import { describe, expect, it } from 'vitest';
import { SoftwareSignature } from './options';
import { detectSoftware, installDirFor, type SoftwareObservation } from './software';

const env = (vars: Record<string, string>) => (name: string) => vars[name];

describe('install folders per OS', () => {
  it('expands %VAR% on Windows and skips a folder whose variable is not set (32-bit Windows has no ProgramFiles(x86))', () => {
    expect(installDirFor('%ProgramFiles%\\1cv8', 'win32', env({ ProgramFiles: 'C:\\Program Files' }))).toBe('C:\\Program Files\\1cv8');
    expect(installDirFor('%ProgramFiles(x86)%\\1cv8', 'win32', env({ ProgramFiles: 'C:\\Program Files' }))).toBeUndefined();
    expect(installDirFor('/opt/1cv8', 'win32', env({}))).toBeUndefined();
  });

  it('uses only absolute POSIX folders on Linux', () => {
    expect(installDirFor('/opt/1cv8', 'linux', env({}))).toBe('/opt/1cv8');
    expect(installDirFor('%ProgramFiles%\\1cv8', 'linux', env({ ProgramFiles: 'x' }))).toBeUndefined();
    expect(installDirFor('opt/1cv8', 'linux', env({}))).toBeUndefined();
  });
});

describe('running or not', () => {
  const seen = (over: Partial<SoftwareObservation>): SoftwareObservation => ({ platform: 'linux', processes: { names: new Set(['bash']), commandLines: ['bash'] }, programs: [], services: [], existingDirs: new Set(), env: env({}), ...over });
  const sig = SoftwareSignature.parse({ label: 'X', processes: ['xpos'], packages: ['^xpos$'] });

  it('is false only when the process list was read and has none of the names', () => {
    expect(detectSoftware(sig, seen({})).running).toBe(false);
    expect(detectSoftware(sig, seen({ processes: undefined })).running).toBeNull();
    expect(detectSoftware(SoftwareSignature.parse({ label: 'X' }), seen({})).running).toBeNull();
  });

  it('takes the version from the package that matched', () => {
    expect(detectSoftware(sig, seen({ programs: [{ name: 'xpos-data', version: '1' }, { name: 'xpos', version: '2.1' }] }))).toEqual({ name: 'xpos', version: '2.1', installed: true, running: false, source: 'package xpos' });
  });
});

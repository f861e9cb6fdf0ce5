import { describe, expect, it } from 'vitest';
import {
  assertProcAvailable,
  cpuPercentOfOneCore,
  parseSmapsRollup,
  parseStat,
  parseChildStat,
  parseStatus,
  ProcUnavailableError,
  summarizeThreadNames,
} from './proc-stats';

// Recorded on Linux 6.x from an idle `node -e` (Node 20).
const SMAPS_ROLLUP = `00400000-7fff972ed000 ---p 00000000 00:00 0                              [rollup]
Rss:               40304 kB
Pss:               38433 kB
Pss_Dirty:          6324 kB
Pss_Anon:           6324 kB
Pss_File:          32109 kB
Pss_Shmem:             0 kB
Shared_Clean:       2672 kB
Shared_Dirty:          0 kB
Private_Clean:     31308 kB
Private_Dirty:      6324 kB
Referenced:        40304 kB
Anonymous:          6324 kB
KSM:                   0 kB
LazyFree:              0 kB
AnonHugePages:         0 kB
ShmemPmdMapped:        0 kB
FilePmdMapped:         0 kB
Shared_Hugetlb:        0 kB
Private_Hugetlb:       0 kB
Swap:                  0 kB
SwapPss:               0 kB
Locked:                0 kB
`;

// Linux 4.19 has no Pss_Anon / Pss_File lines.
const SMAPS_ROLLUP_OLD_KERNEL = `00400000-7ffd4b5f2000 ---p 00000000 00:00 0                              [rollup]
Rss:               51200 kB
Pss:               20480 kB
Shared_Clean:      30000 kB
Shared_Dirty:          0 kB
Private_Clean:      1000 kB
Private_Dirty:     10000 kB
Referenced:        51200 kB
Anonymous:         10000 kB
Swap:                 12 kB
`;

const STATUS = `Name:	node
Umask:	0022
State:	S (sleeping)
Tgid:	27267
Pid:	27267
VmPeak:	  745716 kB
VmSize:	  745712 kB
VmHWM:	   40304 kB
VmRSS:	   40304 kB
RssAnon:	    6324 kB
RssFile:	   33980 kB
RssShmem:	       0 kB
VmSwap:	       0 kB
Threads:	7
SigQ:	0/63432
voluntary_ctxt_switches:	36
`;

const STAT =
  '27267 (node) S 27262 27262 25307 0 -1 4194304 2204 0 16 0 7 3 0 0 20 0 7 0 530873 745713664 10062 18446744073709551615 11988992 39846385 140735729811504 0 0 0 0 16781312 17922 0 0 0 17 1 0 0 0 0 0';

describe('parseSmapsRollup', () => {
  it('reads Rss, Pss and its anonymous and file shares', () => {
    expect(parseSmapsRollup(SMAPS_ROLLUP)).toEqual({ rssKb: 40304, pssKb: 38433, pssAnonKb: 6324, pssFileKb: 32109, privateDirtyKb: 6324, swapKb: 0 });
  });

  it('gives NaN for the shares an older kernel does not print', () => {
    const parsed = parseSmapsRollup(SMAPS_ROLLUP_OLD_KERNEL);
    expect(parsed).toMatchObject({ rssKb: 51200, pssKb: 20480, privateDirtyKb: 10000, swapKb: 12 });
    expect(parsed.pssAnonKb).toBeNaN();
  });

  it('rejects text that is not smaps_rollup', () => {
    expect(() => parseSmapsRollup('Name:\tnode\n')).toThrow(/no "Rss" line/);
  });
});

describe('parseStatus', () => {
  it('reads VmRSS, its anon and file parts and the thread count', () => {
    expect(parseStatus(STATUS)).toEqual({ vmRssKb: 40304, rssAnonKb: 6324, rssFileKb: 33980, threads: 7 });
  });

  it('rejects a status without Threads', () => {
    expect(() => parseStatus('VmRSS:\t 1 kB\n')).toThrow(/no "Threads" line/);
  });
});

describe('parseStat', () => {
  it('reads utime and stime (fields 14 and 15)', () => {
    expect(parseStat(STAT)).toEqual({ utime: 7, stime: 3 });
  });

  it('is not fooled by spaces and parentheses in the command name', () => {
    const weird = STAT.replace('(node)', '(my (odd) name) 1 2)');
    expect(parseStat(weird)).toEqual({ utime: 7, stime: 3 });
  });

  it('rejects a truncated line', () => {
    expect(() => parseStat('1 (node) S 0 0')).toThrow(/not integers/);
  });

  it("reads the waited-for children's cutime and cstime (fields 16 and 17)", () => {
    const fields = STAT.slice(STAT.lastIndexOf(')') + 1).trim().split(/\s+/);
    expect(parseChildStat(STAT)).toEqual({ utime: Number(fields[13]), stime: Number(fields[14]) });
    expect(parseChildStat(STAT.replace(/^(\S+ \(node\)(?: \S+){13}) \S+ \S+/, '$1 41 5'))).toEqual({ utime: 41, stime: 5 });
  });
});

describe('cpuPercentOfOneCore', () => {
  it('is CPU seconds over wall seconds, in percent of one core', () => {
    // 30 ticks at 100 Hz = 0.3 s of CPU in 60 s of wall time
    expect(cpuPercentOfOneCore({ utime: 100, stime: 50 }, { utime: 120, stime: 60 }, 60_000, 100)).toBeCloseTo(0.5);
    expect(cpuPercentOfOneCore({ utime: 0, stime: 0 }, { utime: 250, stime: 250 }, 5_000, 100)).toBeCloseTo(100);
  });

  it('refuses an empty window', () => {
    expect(() => cpuPercentOfOneCore({ utime: 0, stime: 0 }, { utime: 1, stime: 0 }, 0, 100)).toThrow();
  });
});

describe('summarizeThreadNames', () => {
  it('counts names, most frequent first', () => {
    expect(summarizeThreadNames(['node', 'libuv-worker', 'node', 'libuv-worker', 'node', 'inspector'])).toBe('node ×3, libuv-worker ×2, inspector');
  });
});

describe('assertProcAvailable', () => {
  it('names the missing /proc instead of measuring zeros', () => {
    expect(() => assertProcAvailable('darwin', () => true)).toThrow(ProcUnavailableError);
    expect(() => assertProcAvailable('win32', () => true)).toThrow(/needs Linux \/proc/);
    expect(() => assertProcAvailable('linux', (file) => file !== '/proc/self/smaps_rollup')).toThrow(/smaps_rollup is missing/);
    expect(() => assertProcAvailable('linux', () => true)).not.toThrow();
  });
});

// The POS application's verdict: pure, from the section host-pos read and whether the store is
// trading now. Only one code is the probe's own; "could not check" comes from the run's unchecked
// facts (common/host-report.ts).
import type { DiagnosisCode, Finding, PosAppFacts, PosSection } from '@tillscope/shared';

export const HOST_POS_CODES: readonly DiagnosisCode[] = ['host.pos_app_not_running', 'host.check_failed'];

export interface PosVerdict {
  findings: Finding[];
  /** the codes this observation rules in or out (host.check_failed is the run's) */
  checked: DiagnosisCode[];
}

const describe = (app: PosAppFacts) => `${app.name}${app.version ? ` ${app.version}` : ''} (${app.source})`;

/**
 * host.pos_app_not_running, during trading hours only (a register closed for the night is not a
 * fault): the expected application (config `host.posApp`) when one is set, else the POS
 * applications found installed, none of which runs. Not checked when whether it runs could not be
 * told (no process list, or nothing configured to look for).
 */
export function diagnosePos(section: Pick<PosSection, 'apps' | 'expectedApp'>, trading: boolean): PosVerdict {
  const candidates = section.expectedApp ? section.apps.filter((app) => app.id === section.expectedApp) : section.apps.filter((app) => app.installed);
  const cleared: PosVerdict = { findings: [], checked: ['host.pos_app_not_running'] };
  // No POS application found and none expected: nothing that should run. (An expected one that
  // is not in the list at all was looked for and not found: it does not run.)
  if (candidates.length === 0 && !section.expectedApp) return cleared;
  if (candidates.some((app) => app.running === true)) return cleared;
  if (candidates.some((app) => app.running === null)) return { findings: [], checked: [] };
  if (!trading) return cleared;
  const detail =
    candidates.length === 0
      ? `the expected POS application ${section.expectedApp ?? ''} was not found installed or running`
      : candidates.map((app) => (app.installed ? `${describe(app)} is installed but not running` : `${describe(app)} is expected but neither installed nor running`)).join('; ');
  return { findings: [{ code: 'host.pos_app_not_running', detail }], checked: ['host.pos_app_not_running'] };
}

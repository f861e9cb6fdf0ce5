import { ServiceCategory, SlaTargets, type Priority, type SlaTarget } from '@tillscope/shared';
import type { StringKey } from '../i18n/strings';
import { formatMinutesInput, parseMinutes } from './durations';

export const PRIORITIES: readonly Priority[] = [1, 2, 3, 4];

/** "printer/1": one cell of the category × priority table. */
export type CellKey = `${ServiceCategory}/${Priority}`;
export const cellKey = (category: ServiceCategory, priority: Priority): CellKey => `${category}/${priority}`;

/** A cell as typed: reaction and resolution as "H:MM" or "4 ч 30 мин". */
export interface TargetCell {
  react: string;
  resolve: string;
}
export type TargetsForm = Partial<Record<CellKey, TargetCell>>;

export interface TargetError {
  cell: CellKey;
  which: 'react' | 'resolve';
  key: StringKey;
}

const MAX_MINUTES = 525_600;

export function targetsToForm(targets: readonly SlaTarget[]): TargetsForm {
  const form: TargetsForm = {};
  for (const target of targets) {
    form[cellKey(target.category, target.priority)] = { react: formatMinutesInput(target.reactMinutes), resolve: formatMinutesInput(target.resolveMinutes) };
  }
  return form;
}

/** Every cell of the form as targets, or each cell that is unreadable, out of range, or reacts after it resolves. */
export function formToTargets(form: TargetsForm): { targets: SlaTarget[] } | { errors: TargetError[] } {
  const errors: TargetError[] = [];
  const targets: SlaTarget[] = [];
  for (const category of ServiceCategory.options) {
    for (const priority of PRIORITIES) {
      const cell = cellKey(category, priority);
      const typed = form[cell];
      if (!typed) continue;
      const read = (which: 'react' | 'resolve'): number | null => {
        const minutes = parseMinutes(typed[which]);
        if (minutes === null) errors.push({ cell, which, key: 'svc.sla.error.format' });
        else if (minutes < 1 || minutes > MAX_MINUTES) errors.push({ cell, which, key: 'svc.sla.error.range' });
        else return minutes;
        return null;
      };
      const reactMinutes = read('react');
      const resolveMinutes = read('resolve');
      if (reactMinutes === null || resolveMinutes === null) continue;
      if (reactMinutes > resolveMinutes) errors.push({ cell, which: 'react', key: 'svc.sla.error.order' });
      else targets.push({ category, priority, reactMinutes, resolveMinutes });
    }
  }
  if (errors.length) return { errors };
  return SlaTargets.safeParse({ targets }).success ? { targets } : { errors: [] };
}

import { describe, expect, it } from 'vitest';
import { CHECKLIST_STEP_TITLES, ChecklistStep } from './checklist';
import { CATALOGUE, DiagnosisCode, ROUTING_GROUP_TITLES, RoutingGroup, SLA_BY_SEVERITY, Severity } from './codes';
import { SYMPTOMS, Symptom } from './symptoms';

describe('diagnosis catalogue', () => {
  it('has exactly one entry per code, keyed by its own code', () => {
    expect(Object.keys(CATALOGUE).sort()).toEqual([...DiagnosisCode.options].sort());
    for (const [code, entry] of Object.entries(CATALOGUE)) expect(entry.code).toBe(code);
  });

  it('gives every entry Russian and English text, a known group and SLA', () => {
    for (const entry of Object.values(CATALOGUE)) {
      expect(entry.title.ru).toMatch(/[А-Яа-яЁё]/);
      expect(entry.title.en).toMatch(/[A-Za-z]/);
      expect(entry.advice.ru).toMatch(/[А-Яа-яЁё]/);
      expect(RoutingGroup.options).toContain(entry.group);
      expect(SLA_BY_SEVERITY[entry.severity].reactMinutes).toBeGreaterThan(0);
      for (const step of entry.checklist) expect(ChecklistStep.options).toContain(step);
    }
  });

  it('titles every checklist step, group, severity and symptom in both languages', () => {
    const all = [
      ...ChecklistStep.options.map((s) => CHECKLIST_STEP_TITLES[s]),
      ...RoutingGroup.options.map((g) => ROUTING_GROUP_TITLES[g]),
      ...Symptom.options.map((s) => SYMPTOMS[s].title),
    ];
    for (const title of all) {
      expect(title.ru.length).toBeGreaterThan(0);
      expect(title.en.length).toBeGreaterThan(0);
    }
    expect(Severity.options.map((s) => SLA_BY_SEVERITY[s].priority)).toEqual([1, 2, 3, 4]);
  });

  it('makes a printer that cannot print more urgent than one running low', () => {
    expect(SLA_BY_SEVERITY[CATALOGUE['printer.no_reply'].severity].priority).toBeLessThan(
      SLA_BY_SEVERITY[CATALOGUE['printer.paper_near_end'].severity].priority,
    );
  });
});

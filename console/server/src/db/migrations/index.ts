import { sql as initial } from './2026-11-22-001-initial';
import { sql as cashierConfirmation } from './2026-11-22-002-cashier-confirmation';
import { sql as listIndexes } from './2026-11-22-003-list-indexes';
import { sql as reportHistory } from './2026-11-22-004-report-history';
import { sql as fiscalState } from './2026-11-30-005-fiscal-state';
import { sql as discovery } from './2026-11-30-006-discovery';
import { sql as testPrint } from './2026-11-30-007-test-print';
import { sql as hostFacts } from './2026-11-30-008-host-facts';
import { sql as bundles } from './2026-11-30-009-bundles';
import { sql as serviceDesk } from './2026-11-30-010-service-desk';
import { sql as slaClocks } from './2026-11-30-011-sla-clocks';
import { sql as routing } from './2026-11-30-012-routing';
import { sql as storm } from './2026-11-30-013-storm';
import { sql as cashierLoop } from './2026-12-01-014-cashier-loop';
import { sql as actions } from './2026-12-01-015-actions';
import { sql as kb } from './2026-12-01-016-kb';
import { sql as notify } from './2026-12-01-017-notify';
import { sql as kpi } from './2026-12-01-018-kpi';
import { sql as kpiTriggerWhen } from './2026-12-01-019-kpi-trigger-when';
import { sql as kpiGeneration } from './2026-12-01-020-kpi-generation';

export interface Migration {
  /** The file name without extension; also the key recorded in schema_migrations. */
  id: string;
  sql: string;
}

/** Every migration, in the order they apply. A test checks this list against the folder. */
export const MIGRATIONS: readonly Migration[] = [
  { id: '2026-11-22-001-initial', sql: initial },
  { id: '2026-11-22-002-cashier-confirmation', sql: cashierConfirmation },
  { id: '2026-11-22-003-list-indexes', sql: listIndexes },
  { id: '2026-11-22-004-report-history', sql: reportHistory },
  { id: '2026-11-30-005-fiscal-state', sql: fiscalState },
  { id: '2026-11-30-006-discovery', sql: discovery },
  { id: '2026-11-30-007-test-print', sql: testPrint },
  { id: '2026-11-30-008-host-facts', sql: hostFacts },
  { id: '2026-11-30-009-bundles', sql: bundles },
  { id: '2026-11-30-010-service-desk', sql: serviceDesk },
  { id: '2026-11-30-011-sla-clocks', sql: slaClocks },
  { id: '2026-11-30-012-routing', sql: routing },
  { id: '2026-11-30-013-storm', sql: storm },
  { id: '2026-12-01-014-cashier-loop', sql: cashierLoop },
  { id: '2026-12-01-015-actions', sql: actions },
  { id: '2026-12-01-016-kb', sql: kb },
  { id: '2026-12-01-017-notify', sql: notify },
  { id: '2026-12-01-018-kpi', sql: kpi },
  { id: '2026-12-01-019-kpi-trigger-when', sql: kpiTriggerWhen },
  { id: '2026-12-01-020-kpi-generation', sql: kpiGeneration },
];

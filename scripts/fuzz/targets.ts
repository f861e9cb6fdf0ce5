// Every fuzz target, in the order `npm run fuzz` runs them. A new parser joins by exporting its
// targets from a `*.fuzz.ts` beside it (pure, no I/O) and listing them here; `npm test` then runs
// its CI share (scripts/fuzz/fuzz.test.ts).
import { cashierBodyFuzzTargets } from '../../agent/src/cashier-page/request-body.fuzz';
import { atolFuzzTargets } from '../../agent/src/devices/fiscal/atol/protocol.fuzz';
import { shtrihFuzzTargets } from '../../agent/src/devices/fiscal/shtrih-m/protocol.fuzz';
import { escposFuzzTargets } from '../../agent/src/devices/receipt-printer/escpos/protocol.fuzz';
import { starLineFuzzTargets } from '../../agent/src/devices/receipt-printer/star-line/protocol.fuzz';
import { restValidatorFuzzTargets } from '../../console/server/src/http/validate.fuzz';
import { parseFrameFuzzTargets } from '../../shared/src/protocol/parse.fuzz';
import type { FuzzTarget } from './target';

export const FUZZ_TARGETS: readonly FuzzTarget[] = [...parseFrameFuzzTargets, ...escposFuzzTargets, ...starLineFuzzTargets, ...shtrihFuzzTargets, ...atolFuzzTargets, ...cashierBodyFuzzTargets, ...restValidatorFuzzTargets];

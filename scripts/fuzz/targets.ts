// Every fuzz target, in the order `npm run fuzz` runs them. A new parser joins by exporting its
// targets from a `*.fuzz.ts` beside it and listing them here; `npm test` then runs its CI share.
import { escposFuzzTargets } from '../../agent/src/devices/receipt-printer/escpos/protocol.fuzz';
import { parseFrameFuzzTargets } from '../../shared/src/protocol/parse.fuzz';
import type { FuzzTarget } from './target';

export const FUZZ_TARGETS: readonly FuzzTarget[] = [...parseFrameFuzzTargets, ...escposFuzzTargets];

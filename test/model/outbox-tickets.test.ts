import fc from 'fast-check';
import { describe, it } from 'vitest';
import { outboxTicketsProperty } from './outbox-tickets';

// CI size: a few dozen random sequences on real SQLite files. A bigger run, e.g. before a release:
// `MODEL_RUNS=1000 MODEL_COMMANDS=60 npx vitest run test/model` (fast-check prints the seed and the
// shrunk command list of a failure; replay with MODEL_SEED=<seed>).
const runs = Number(process.env.MODEL_RUNS ?? 40);
const maxCommands = Number(process.env.MODEL_COMMANDS ?? 25);
const seed = process.env.MODEL_SEED === undefined ? undefined : Number(process.env.MODEL_SEED);

describe('outbox and ticket engine, model-based', () => {
  it(`keeps every promise over ${runs} random sequences of up to ${maxCommands} steps`, async () => {
    await fc.assert(outboxTicketsProperty(maxCommands), { numRuns: runs, ...(seed === undefined ? {} : { seed }) });
  }, 600_000);
});

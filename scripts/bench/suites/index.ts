import type { BenchSuite } from '../measurement';
import { consoleApiSuite } from './console-api';
import { consoleRendererSuite } from './console-renderer';
import { agentFootprintSuite } from './agent-footprint';
import { serverCapacitySuite } from './server-capacity';
import { dbIngestSuite } from './db-ingest';
import { faultToFindingSuite } from './fault-to-finding';

/** Every suite, in the order the table prints them. Each owns one area of issue 3's budget table. */
export const BENCH_SUITES: readonly BenchSuite[] = [agentFootprintSuite, serverCapacitySuite, dbIngestSuite, consoleApiSuite, consoleRendererSuite, faultToFindingSuite];

import type { BenchSuite } from '../measurement';
import { agentFootprintSuite } from './agent-footprint';
import { atolProbeSuite } from './atol-probe';
import { consoleApiSuite } from './console-api';
import { consoleRendererSuite } from './console-renderer';
import { dbIngestSuite } from './db-ingest';
import { faultToFindingSuite } from './fault-to-finding';
import { faultToTicketSuite } from './fault-to-ticket';
import { hostProbesSuite } from './host-probes';
import { kbSearchSuite } from './kb-search';
import { kpiSuite } from './kpi';
import { loginFloodSuite } from './login-flood';
import { serverCapacitySuite } from './server-capacity';
import { shtrihProbeSuite } from './shtrih-probe';
import { soakSuite } from './soak';
import { storeStormSuite } from './store-storm';

/** Every suite, in the order of issue 3's budget table: agent, server, database, renderer; then the soak, which runs only on request. */
export const BENCH_SUITES: readonly BenchSuite[] = [
  agentFootprintSuite,
  faultToFindingSuite,
  hostProbesSuite,
  shtrihProbeSuite,
  atolProbeSuite,
  serverCapacitySuite,
  faultToTicketSuite,
  dbIngestSuite,
  storeStormSuite,
  consoleApiSuite,
  kbSearchSuite,
  kpiSuite,
  loginFloodSuite,
  consoleRendererSuite,
  soakSuite,
];

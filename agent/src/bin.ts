// Production entry of the agent. agent/build.ts bundles this file into agent/dist/agent.cjs, run as
//   node --v8-pool-size=2 --max-semi-space-size=1 agent/dist/agent.cjs --config agent.json
// (`tsx agent/src/main.ts`, i.e. `npm run agent`, stays the development entry).
//
// Threads. An idle Node 20 has 7: the main thread, 4 V8 platform workers (concurrent GC and
// compilation, sized by `--v8-pool-size`: command line or NODE_OPTIONS only, hence the flag above),
// the platform's delayed-task thread and the inspector's signal thread. The libuv threadpool adds
// UV_THREADPOOL_SIZE more, 4 by default, the first time anything queues work on it. sqlite3 runs
// every statement of the outbox there; so do async fs (config, credential), dns.lookup of a host
// name (the console URL, a printer given by name) and serialport's open/close/drain/read/write.
// The agent queues a few short jobs a minute, so 4 threads are waste. 1 is not enough either.
// Measured with one pool thread parked in a call that never returns (what a wedged USB-serial
// driver in tcdrain or close, or a hung mount, does): the outbox write of the next health report
// waits behind it forever, the probe loop (which awaits that write) stops probing, and the change
// never reaches the console. With 2 threads the same parked call leaves the other one free:
// probes and reports go on. A parked call still keeps the process from exiting on SIGTERM (libuv
// joins its threads at exit), so the service manager's stop timeout and kill remain the backstop.
//
// The variable is read once, when the pool starts, so it must be set before anything queues pool
// work. That is why this file loads main.ts only after setting it, and why the bundle is CommonJS:
// a CJS entry is read synchronously, while an ESM entry is read with async fs, which starts the
// pool with 4 threads before this line runs. An operator's own UV_THREADPOOL_SIZE wins.
const DEFAULT_THREADPOOL_SIZE = 2;

if (!process.env.UV_THREADPOOL_SIZE) process.env.UV_THREADPOOL_SIZE = String(DEFAULT_THREADPOOL_SIZE);

// A dynamic import, so main.ts and everything it imports are evaluated after the line above
// (static imports are hoisted above it, in the source and in the bundle).
void import('./main');

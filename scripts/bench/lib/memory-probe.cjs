// Preloaded with `node --require` into a process the soak measures (the built agent), only when
// the bench launched it with an IPC channel: answers `{ op: 'memory', gc }` with
// process.memoryUsage(), after a full garbage collection when `gc` is set, so the V8 heap (and
// its live part) is read from inside without a debug endpoint in production code. Costs two
// listeners; the channel is unref'd so it never keeps the process alive.
'use strict';
if (typeof process.send === 'function') {
  let collect;
  process.on('message', (message) => {
    if (!message || message.op !== 'memory') return;
    if (message.gc) {
      // --expose-gc switched on from here, not on the agent's command line: its flags stay the production ones.
      if (!collect) {
        require('node:v8').setFlagsFromString('--expose-gc');
        collect = require('node:vm').runInNewContext('gc');
      }
      collect();
    }
    process.send({ op: 'memory', ...process.memoryUsage() });
  });
  // The bench went away without stopping the agent (killed, Ctrl+C): stop it as a service manager would.
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  process.channel?.unref();
}

// Preloaded with `node --require` into a process the soak measures (the built agent), only when
// the bench launched it with an IPC channel: answers `{ op: 'memory' }` with process.memoryUsage(),
// so the V8 heap is read from inside without a debug endpoint in production code. Costs one
// listener; the channel is unref'd so it never keeps the process alive.
'use strict';
if (typeof process.send === 'function') {
  process.on('message', (message) => {
    if (message && message.op === 'memory') process.send({ op: 'memory', ...process.memoryUsage() });
  });
  process.channel?.unref();
}

import type { WebSocket } from 'ws';

/**
 * Pings `socket` every `intervalMs`, starting at a random offset inside the first interval so
 * thousands of sockets do not all ping in the same tick. A socket that has not answered the
 * previous ping is terminated (no close handshake: a dead peer would never finish one).
 * While the server itself has paused reading the socket (ingest backpressure), a pong could not be
 * seen even from a live peer: those beats are skipped, so pausing never kills healthy agents (which
 * would make them all reconnect and resend into the very backlog that paused them).
 * Returns a function that stops the timers.
 */
export function startHeartbeat(socket: WebSocket, intervalMs: number): () => void {
  let answered = true;
  let interval: NodeJS.Timeout | undefined;
  const onPong = () => {
    answered = true;
  };
  socket.on('pong', onPong);
  const beat = () => {
    if (socket.isPaused) {
      answered = true;
      return;
    }
    if (!answered) {
      socket.terminate();
      return;
    }
    answered = false;
    try {
      socket.ping();
    } catch {
      socket.terminate();
    }
  };
  const first = setTimeout(() => {
    beat();
    interval = setInterval(beat, intervalMs);
    interval.unref();
  }, Math.floor(Math.random() * intervalMs));
  first.unref();
  return () => {
    clearTimeout(first);
    if (interval) clearInterval(interval);
    socket.off('pong', onPong);
  };
}

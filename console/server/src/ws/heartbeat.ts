import type { WebSocket } from 'ws';

/**
 * Pings `socket` every `intervalMs`, starting at a random offset inside the first interval so
 * thousands of sockets do not all ping in the same tick. A socket that has not answered the
 * previous ping is terminated (no close handshake: a dead peer would never finish one).
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

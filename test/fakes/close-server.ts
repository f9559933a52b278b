import type { Server } from 'node:http';

/** Stops a test server at once: open keep-alive and mid-body connections are cut, not awaited. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server that cannot listen (a busy port, an address that is not ours), said in one sentence. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
}

/** Reads a port flag or variable; throws a RangeError naming what came. 0 asks the system for a free port. */
export function parsePort(raw: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) throw new RangeError(`The port must be a whole number from 0 to 65535; got "${raw}".`);
  return port;
}

/** Listens on host:port and resolves with the server's URL; a failure becomes a ListenError sentence. */
export async function listenOn(server: Server, host: string, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new ListenError(
          error.code === 'EADDRINUSE'
            ? `Port ${port} on ${host} is already in use; pass --port or set PORT to another one.`
            : `Could not listen on ${host}:${port}: ${error.message}.`,
        ),
      );
    });
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.address.includes(':') ? `[${address.address}]` : address.address;
  return `http://${shownHost}:${address.port}`;
}

/** Stops listening and ends every open connection, idle keep-alive and hung ones included. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Resolves with the first SIGINT or SIGTERM. Call it before printing the ready line, so that a stop sent as
 * soon as that line appears is never missed (the default action would kill the process mid-way).
 */
export function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

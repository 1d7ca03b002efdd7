/**
 * Binding a load balancer listener's socket on this machine: each load balancer has its own
 * loopback address, so every one of them can listen on port 80 like an ELB does, and a port that
 * cannot be bound (taken, privileged, address missing) becomes a clear message naming the
 * address, the port and the way out, never an exception or a silent failure.
 */
import type net from 'node:net';

/** Where a listener's port really binds: ports below 1024 move up by the offset when one is set. */
export function realPortFor(port: number, privilegedPortOffset: number): number {
  return privilegedPortOffset > 0 && port > 0 && port < 1024 ? port + privilegedPortOffset : port;
}

export type ListenOutcome = { ok: true; port: number } | { ok: false; code: string; message: string };

/** Listens on address:port; resolves with the bound port or the failure, never rejects. */
export function listen(server: net.Server, address: string, port: number): Promise<ListenOutcome> {
  return new Promise((resolve) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      resolve({ ok: false, code: error.code ?? 'UNKNOWN', message: error.message });
    };
    const onListening = () => {
      server.off('error', onError);
      const bound = server.address();
      resolve({ ok: true, port: typeof bound === 'object' && bound !== null ? bound.port : port });
    };
    server.once('error', onError);
    server.once('listening', onListening);
    try {
      server.listen({ host: address, port, exclusive: true });
    } catch (error) {
      // listen() throws synchronously on an out-of-range port.
      server.off('error', onError);
      server.off('listening', onListening);
      resolve({
        ok: false,
        code: (error as NodeJS.ErrnoException).code ?? 'UNKNOWN',
        message: (error as Error).message,
      });
    }
  });
}

/** The offset suggested when a privileged port cannot be bound. */
export const SUGGESTED_PRIVILEGED_PORT_OFFSET = 8000;

export interface BindFailure {
  code: string;
  /** node's own message, used for codes without a better explanation. */
  message: string;
  address: string;
  /** The listener's port as configured in ELBv2. */
  port: number;
  /** The port drydock tried (port + offset for privileged ports when an offset is set). */
  realPort: number;
  privilegedPortOffset: number;
}

/** A message that names the address, the port and what the user can do about it. */
export function bindFailureMessage(failure: BindFailure): string {
  const { code, address, port, realPort, privilegedPortOffset } = failure;
  const where = `${address}:${realPort}`;
  const moved = realPort !== port ? ` (listener port ${port} + --privileged-port-offset ${privilegedPortOffset})` : '';
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      if (realPort < 1024) {
        const suggested = port + SUGGESTED_PRIVILEGED_PORT_OFFSET;
        return (
          `cannot listen on ${where}: port ${port} needs root; start drydock with --privileged-port-offset ` +
          `${SUGGESTED_PRIVILEGED_PORT_OFFSET} to serve it on ${suggested}, or give the listener a port of 1024 or more`
        );
      }
      return `cannot listen on ${where}${moved}: permission denied (${failure.message})`;
    case 'EADDRINUSE':
      return (
        `cannot listen on ${where}${moved}: the port is already in use by another process; stop that process or ` +
        `move the listener to a free port (aws elbv2 modify-listener --port)`
      );
    case 'EADDRNOTAVAIL':
      return (
        `cannot listen on ${where}: the address ${address} is not configured on this machine ` +
        `(on macOS, add it with: sudo ifconfig lo0 alias ${address} up)`
      );
    default:
      return `cannot listen on ${where}${moved}: ${failure.message}`;
  }
}

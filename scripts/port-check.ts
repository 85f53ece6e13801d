/**
 * Before `npm start` starts anything: is every port it needs free? A second `npm start` on ports in use
 * would otherwise see the first stack answer its health checks, say all is ready, and leave services that
 * never serve (one with a bootstrap key printed for a store nobody reaches).
 */
import { createServer } from 'node:net';

export interface NeededPort {
  service: string;
  port: number;
  /** The variable that moves it, named in the message. */
  variable: string;
}

function isFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** The first port in use, as one line naming the service and the variable that moves it; undefined when all are free. */
export async function busyPortMessage(host: string, ports: NeededPort[]): Promise<string | undefined> {
  for (const { service, port, variable } of ports) {
    if (!(await isFree(host, port)))
      return `port ${port} on ${host} is in use, so ${service} cannot start: stop what holds it, or set ${variable} to another port`;
  }
  return undefined;
}

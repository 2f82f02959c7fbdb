// Graceful shutdown of one HTTP server: readiness turns off, new connections stop, the
// requests already running finish (bounded), and only then are the pools closed, so no
// request is cut off and no query meets a closed pool.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';

/** After cutting connections at the deadline, how long their handlers may still run. */
const CUT_GRACE_MS = 2000;

export interface DrainOptions {
  /** Keep accepting (while /ready says 503) this long, so load balancers take us out first. */
  delayMs: number;
  /** Longest wait for in-flight requests once nothing new is accepted. */
  timeoutMs: number;
}

export class Drain {
  #draining = false;
  #inFlight = new Set<ServerResponse>();
  #settled: (() => void)[] = [];

  /** True from the start of a shutdown: /ready answers 503. */
  get draining(): boolean {
    return this.#draining;
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  /**
   * Wraps the server's request listener: counts the request until its handler settles, and
   * while draining tells the client to close the connection after this answer.
   */
  track(handle: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>) {
    return (req: IncomingMessage, res: ServerResponse): void => {
      if (this.#draining) res.setHeader('connection', 'close');
      this.#inFlight.add(res);
      void handle(req, res).finally(() => {
        this.#inFlight.delete(res);
        if (this.#inFlight.size === 0) for (const resolve of this.#settled.splice(0)) resolve();
      });
    };
  }

  /** Resolves when no request is running, or after `ms` (then false). */
  idle(ms: number): Promise<boolean> {
    if (this.#inFlight.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.#settled.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /**
   * Stops `server`: readiness off, then (after `delayMs`) no new connections, idle
   * keep-alive connections closed, in-flight requests awaited up to `timeoutMs`, then every
   * connection cut. Resolves true when everything finished in time.
   */
  async stop(server: Server, options: DrainOptions): Promise<boolean> {
    this.#draining = true;
    // Requests already running close their connection after answering too.
    for (const res of this.#inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
    if (options.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    const deadline = Date.now() + options.timeoutMs;
    // net.Server#close stops accepting; http.Server#close would also do closeIdleConnections,
    // which we do right after, explicitly.
    const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
    server.closeIdleConnections();
    let finished = await this.idle(Math.max(0, deadline - Date.now()));
    // Connections that went idle after their last answer (a client that ignored
    // `Connection: close`); a request that came in on one meanwhile still gets its answer.
    server.closeIdleConnections();
    const timedOut = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now())).unref());
    if ((await Promise.race([closed, timedOut])) === 'timeout') finished = false;
    // Past the deadline: cut what is left, and give its handlers a moment to settle before
    // the caller closes the pools.
    server.closeAllConnections();
    await this.idle(CUT_GRACE_MS);
    await closed;
    return finished;
  }
}

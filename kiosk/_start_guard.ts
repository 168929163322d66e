/** The first two steps of a kiosk start, before it writes anything: take the port, then lock the data folder. */
import { join } from "node:path";
import type { Hono } from "hono";
import { serveKiosk } from "./server/mod.ts";

/**
 * A start refused because the place it needs is taken (port in use, data folder held by another kiosk) or
 * unusable. main.ts prints the message as one line and exits 2; nothing was written.
 */
export class StartRefusedError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StartRefusedError";
  }
}

/** A bound server that answers 503 until `serve(app)` hands it the app. */
export interface EarlyServer {
  readonly addr: Deno.NetAddr;
  readonly finished: Promise<void>;
  /** From now on requests go to `app`. */
  serve(app: Hono): void;
}

/**
 * Binds hostname:port at once, before anything is written: a second kiosk on a busy port stops here, with the
 * first kiosk's PIN file, data and page bundle untouched. Requests that come while the kiosk is still starting
 * get 503. Rejects with StartRefusedError when the port is taken or the address is not this machine's.
 */
export async function listenFirst(hostname: string, port: number, signal: AbortSignal): Promise<EarlyServer> {
  const server = serveKiosk(null, { hostname, port, signal });
  let addr: Deno.NetAddr;
  try {
    addr = await server.listening;
  } catch (error) {
    const where = `${hostname}:${port}`;
    const code = (error as { code?: string }).code;
    if (code === "EADDRINUSE" || error instanceof Deno.errors.AddrInUse) {
      throw new StartRefusedError(`Cannot start kiosk: PORT ${port} on ${hostname} is in use (${where})`, {
        cause: error,
      });
    }
    if (
      code === "EADDRNOTAVAIL" || code === "EACCES" || error instanceof Deno.errors.AddrNotAvailable ||
      error instanceof Deno.errors.PermissionDenied
    ) {
      throw new StartRefusedError(
        `Cannot start kiosk: cannot listen on ${where}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
  return { addr, finished: server.finished, serve: (app) => server.use(app) };
}

/** An exclusive hold on a data folder, kept until `release()`. */
export interface DataDirLock {
  /** Lets the next kiosk in (closing the file drops the lock). Safe to call twice. */
  release(): void;
}

/**
 * Creates the data folder (0700) if needed and takes a non-blocking exclusive lock on `<dir>/kiosk.lock`,
 * writing this process's pid into it. A second kiosk on the same folder, on any port, gets StartRefusedError
 * naming the holder's pid, and has written nothing: no session recovery, no PIN file, no record.
 * The lock is the kernel's (flock), so it is gone the moment the holder dies, even by SIGKILL.
 */
export function lockDataDir(dir: string): DataDirLock {
  try {
    Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new StartRefusedError(
      `Cannot start kiosk: DATA_DIR ${JSON.stringify(dir)} cannot be created: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const path = join(dir, "kiosk.lock");
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { read: true, write: true, create: true, mode: 0o600 });
  } catch (error) {
    throw new StartRefusedError(
      `Cannot start kiosk: DATA_DIR ${JSON.stringify(dir)} is not usable: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (!file.tryLockSync(true)) {
    file.close();
    throw new StartRefusedError(
      `Cannot start kiosk: DATA_DIR ${JSON.stringify(dir)} is in use by another kiosk (pid ${
        holderPid(path)
      })`,
    );
  }
  // Written only once the lock is ours, so the pid in the file is always the holder's.
  file.truncateSync(0);
  file.writeSync(new TextEncoder().encode(`${Deno.pid}\n`));
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      file.close();
    },
  };
}

function holderPid(path: string): string {
  try {
    return Deno.readTextFileSync(path).trim() || "unknown";
  } catch {
    return "unknown";
  }
}

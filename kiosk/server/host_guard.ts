/** The DNS-rebinding guard: every request must name the kiosk itself in its Host header. */
import type { Context, Next } from "hono";

/** Loopback names the kiosk always answers to. */
export const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];

/**
 * True when `host` (the Host header) is one of `names` on the port the kiosk serves (`url`'s port; 80 when
 * neither says). A page on a rebinding DNS name reaches 127.0.0.1 but still sends its own name as Host.
 * Without a Host header (`app.request()` in tests) the URL's own host counts.
 */
export function isKioskHost(host: string | undefined, url: URL, names: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(`http://${host ?? url.host}`);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password || parsed.pathname !== "/" || parsed.search || parsed.hash) {
    return false;
  }
  return names.includes(parsed.hostname) && (parsed.port || "80") === (url.port || "80");
}

/** Middleware answering 421 to a request whose Host is not the kiosk (`names` are lower-case host names). */
export function hostGuard(names: readonly string[]) {
  return async (c: Context, next: Next) => {
    const host = c.req.header("host");
    if (!isKioskHost(host, new URL(c.req.url), names)) {
      return c.json({
        error: `Host ${JSON.stringify(host ?? null)} is not this kiosk: only ${
          names.join(", ")
        } on the kiosk's port are served (DNS-rebinding guard)`,
      }, 421);
    }
    await next();
  };
}

/** The kiosk HTTP app: health and routines, the page and its WebSocket (records are read over an operator socket). */
import { Hono } from "hono";
import { fileURLToPath } from "node:url";
import type { Demo, OutputSink, Recorder, SessionRunner } from "../session/mod.ts";
import type { Store } from "../store/mod.ts";
import { createWsHub, type HubSocket, type WsHub, type WsHubOptions } from "./ws_hub.ts";
import { contentTypeOf, serveFiles, type StaticFile } from "./static_files.ts";
import { createTrackingMonitor } from "./tracking.ts";
import { createOperatorAuth } from "./operator_auth.ts";
import { createProfileDesk } from "./profile_desk.ts";
import type { Station } from "./page_message.ts";
import { hostGuard, LOOPBACK_NAMES } from "./host_guard.ts";
import type { KioskServerEnv, PageSocket } from "./serve.ts";
import { MIRROR_ASSETS } from "../ui/vision/assets.ts";
import { CUE_ASSETS } from "../ui/cue_assets.ts";

/** What the page learns about a routine. */
export interface RoutineSummary {
  id: string;
  name: string;
  steps: number;
}

/** Options for createApp. */
export interface AppOptions {
  /** The session runner (owns the engine). Required. */
  runner: SessionRunner;
  /** Device side, for its status in /api/health. Default: reported as {kind: "none"}. */
  sink?: OutputSink;
  /** Store the staff view reads (operator sockets only). Default: none (the staff view says so). */
  store?: Store;
  /** Recorder, so start requests carry their consent into the record. */
  recorder?: Recorder;
  /** Demo probe, when demo mode runs. */
  demo?: Demo;
  /** The device is simulated, so demo observations (the page's photo demo) are allowed. Default false. */
  demoAllowed?: boolean;
  /** The operator PIN a socket sends to become an operator (4..12 digits). Default: none (no operator sockets). */
  operatorPin?: string;
  /**
   * Gets the recovery code minted when wrong PINs from all sockets lock the PIN (docs/kiosk.md "Operator PIN");
   * it must go only where the operator, not a page, can read it. Default: printed on the console.
   */
  onOperatorRecovery?: (code: string) => void;
  /** Version string for /api/health. Default "0.0.0". */
  version?: string;
  /** Routines the page may start. Default []. */
  routines?: RoutineSummary[];
  /** Directory holding the page (index.html) and its bundle (dist/). Default: kiosk/ui next to this file. */
  uiDir?: string;
  /** Directory holding face_uv.json. Default: models/ at the project root. */
  modelsDir?: string;
  /** Send every Nth frame to pages. Default 1 (50 Hz). */
  frameEvery?: number;
  /** Monotonic clock in ms for uptime. Default performance.now. */
  now?: () => number;
  /** Aborting detaches the app from the runner and closes its sockets. */
  signal?: AbortSignal;
  /** More fields for /api/health (e.g. plugin status). Default none. */
  health?: () => Record<string, unknown>;
  /**
   * Host names the kiosk is served under, besides the loopback names 127.0.0.1, localhost and [::1] (e.g. the
   * configured HOST). Any request whose Host is another name gets 421 (DNS rebinding); a WebSocket upgrade is
   * accepted only when its Origin is also exactly http://<that Host>, i.e. the kiosk page itself. Default none.
   */
  hostNames?: string[];
  /** Serve the page bundle's source map (/app.js.map), for development. Default false. */
  sourceMap?: boolean;
  /** What the kiosk is: a home mirror (local profiles) or a salon station (walk-ins by code). Default "home". */
  station?: Station;
  /** Whose records a page socket may read (WsHubOptions.profileOf). Default: the socket's selected profile. */
  profileOf?: WsHubOptions["profileOf"];
  /** A walk-in's history at the salon's other stations, by client code (ProfileDeskOptions). Default: none. */
  centralHistory?: (code: string) => Promise<unknown>;
  /** Log lines (the profile desk's central pulls). Default console.log. */
  log?: (line: string) => void;
}

/**
 * True when a WebSocket upgrade comes from the kiosk's own page: Host names the kiosk (not a rebinding DNS
 * name) and Origin is that same http origin (not another page open in a browser on this machine).
 */
export function isKioskOrigin(
  origin: string | undefined,
  host: string | undefined,
  names: string[],
): boolean {
  if (!origin || !host) return false;
  let parsed: URL;
  try {
    parsed = new URL(`http://${host}`);
  } catch {
    return false;
  }
  if (parsed.username || parsed.password || parsed.pathname !== "/" || `http://${parsed.host}` !== origin) {
    return false;
  }
  return names.includes(parsed.hostname);
}

const here = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));

/** Creates the app. Test it with `app.request()`; serve it with `serveKiosk(app)` (kiosk/server/serve.ts). */
export function createApp(options: AppOptions): Hono {
  const { runner, sink, store, recorder, demo } = options;
  const now = options.now ?? (() => performance.now());
  const started = now();
  const version = options.version ?? "0.0.0";
  const routines = options.routines ?? [];
  const uiDir = options.uiDir ?? here("../ui");
  const modelsDir = options.modelsDir ?? here("../../models");
  const station = options.station ?? "home";

  const tracking = createTrackingMonitor({ now });
  const hub: WsHub = createWsHub(runner, {
    tracking,
    recorder,
    summaries: store,
    profileOf: options.profileOf,
    frameEvery: options.frameEvery,
    demoAllowed: options.demoAllowed ?? false,
    operatorAuth: options.operatorPin === undefined ? undefined : createOperatorAuth(options.operatorPin, {
      now,
      // Wall-clock time and the open session go with every row; the policy never hands over a PIN or code.
      audit: store && ((e) => store.audit({ at: Date.now(), sessionId: recorder?.sessionId ?? null, ...e })),
      onRecoveryCode: options.onOperatorRecovery ??
        ((code) => console.log(`operator PIN locked by wrong guesses; recovery code: ${code}`)),
    }),
    records: store,
    profiles: createProfileDesk({ store, station, centralHistory: options.centralHistory, log: options.log }),
    // The page's mode comes from here alone: demo or not, simulated device or not, home or salon.
    hello: () => ({
      version,
      demo: demo !== undefined,
      simulated: options.demoAllowed ?? false,
      routines,
      station,
    }),
  });
  options.signal?.addEventListener("abort", () => hub.dispose(), { once: true });

  const app = new Hono();
  app.onError((error, c) => {
    console.error(`kiosk: ${c.req.method} ${c.req.path} failed:`, error);
    return c.json({ error: "internal error" }, 500);
  });
  const hostNames = [...LOOPBACK_NAMES, ...(options.hostNames ?? []).map((h) => h.toLowerCase())];
  app.use("*", hostGuard(hostNames));

  app.get("/api/health", (c) => {
    const f = runner.lastFrame;
    const jitter = runner.jitter();
    return c.json({
      version,
      ...options.health?.(),
      device: sink ? sink.status() : { kind: "none", connected: false },
      engine: {
        state: runner.state,
        currentUa: f?.currentUa ?? 0,
        zone: f?.zone ?? null,
        limit: f?.limit ?? "idle",
      },
      uptimeS: Math.round((now() - started) / 100) / 10,
      demo: demo !== undefined,
      demoAllowed: options.demoAllowed ?? false,
      clients: hub.clients,
      tracking: hub.clients > 0 ? tracking.snapshot() : null,
      scheduler: {
        ticks: jitter.ticks,
        skipped: jitter.skipped,
        p50Ms: jitter.p50,
        p99Ms: jitter.p99,
        maxMs: jitter.max,
      },
    });
  });

  app.get("/api/routines", (c) => c.json(routines));

  // Session and audit records say who came when and what the operator did: they are read over an operator socket
  // (the staff view: staff-sessions, staff-audit), never over HTTP, which has no PIN (docs/decisions.md).
  for (const path of ["/api/sessions", "/api/audit"]) {
    app.get(path, (c) =>
      c.json({
        error: `${path} is not served: records are read behind the operator PIN, in the page's staff view ` +
          `(WebSocket messages "staff-sessions" and "staff-audit" on an operator socket)`,
      }, 403));
  }

  app.get("/ws", (c) => {
    const host = c.req.header("host")?.toLowerCase() ?? new URL(c.req.url).host;
    if (!isKioskOrigin(c.req.header("origin"), host, hostNames)) {
      return c.json({ error: "WebSocket refused: only the kiosk's own page may connect (Origin/Host)" }, 403);
    }
    const upgrade = (c.env as Partial<KioskServerEnv> | undefined)?.upgradeSocket;
    if (typeof upgrade !== "function") {
      return c.json({ error: "WebSocket upgrade required (served by serveKiosk)" }, 426);
    }
    upgrade((ws) => attachPageSocket(hub, ws));
    return c.body(null, 204);
  });

  const files: Record<string, StaticFile> = {
    "/": { path: `${uiDir}/index.html`, contentType: contentTypeOf("index.html") },
    "/index.html": { path: `${uiDir}/index.html`, contentType: contentTypeOf("index.html") },
    "/app.js": { path: `${uiDir}/dist/app.js`, contentType: contentTypeOf("app.js") },
    "/app.css": { path: `${uiDir}/app.css`, contentType: contentTypeOf("app.css") },
    "/models/face_uv.json": { path: `${modelsDir}/face_uv.json`, contentType: contentTypeOf("face_uv.json") },
  };
  // The mirror's weights, zone map, tfjs wasm binaries and demo photo (kiosk/ui/vision/assets.ts).
  for (const a of MIRROR_ASSETS) files[a.url] = { path: here(`../../${a.path}`), contentType: a.contentType };
  // The recorded cues, spoken where the browser has no voice for the page's language (kiosk/ui/cue_assets.ts).
  for (const a of CUE_ASSETS) files[a.url] = { path: here(`../../${a.path}`), contentType: a.contentType };
  // The map shows the page's source to anyone who can reach the kiosk; only a development run serves it.
  if (options.sourceMap) {
    files["/app.js.map"] = { path: `${uiDir}/dist/app.js.map`, contentType: contentTypeOf("app.js.map") };
  }
  app.get("*", serveFiles(files));
  return app;
}

/** Feeds one page socket to the hub: text to `message`, binary to `binary` (refused, rate-limited). */
function attachPageSocket(hub: WsHub, ws: PageSocket) {
  const socket: HubSocket = {
    send: (text) => ws.send(text),
    close: (code, reason) => ws.close(code, reason),
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
  };
  hub.open(socket);
  const decoder = new TextDecoder();
  ws.on(
    "message",
    (data, isBinary) => isBinary ? hub.binary(socket) : hub.message(socket, decoder.decode(data)),
  );
  ws.on("close", () => hub.close(socket));
  // An oversized message (1009) or a protocol error: `ws` closes the socket itself; "close" follows.
  ws.on("error", () => {});
}

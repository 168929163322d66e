/** Starts the staff dashboard (`deno task central dashboard`): checks the central schema, bundles the page, serves. */
import postgres from "postgres";
import { clientOptions } from "../replicator.ts";
import { CENTRAL_SCHEMA_VERSION } from "../schema.ts";
import { createDashboardApp, type DashboardAppOptions, type DashboardAssets } from "./app.ts";
import { buildDashboardPage } from "./build.ts";
import type { DashboardConfig } from "./config.ts";
import { LOOPBACK_NAMES } from "../../server/host_guard.ts";

/** A running dashboard. */
export interface Dashboard {
  /** e.g. http://127.0.0.1:8090/ */
  readonly url: string;
  readonly port: number;
  /** Stops serving and closes the database connections. */
  shutdown(): Promise<void>;
}

/** Options for startDashboard besides the settings. */
export interface DashboardOptions
  extends Pick<DashboardAppOptions, "sessions" | "loginLimit" | "addressLimit"> {
  /** Log lines go here. Default console.log. */
  log?: (line: string) => void;
  /** A page already built (tests start several dashboards). Default: built now. */
  assets?: DashboardAssets;
}

/** Starts the dashboard; refuses a central store whose schema is older than this build's. */
export async function startDashboard(
  config: DashboardConfig,
  options: DashboardOptions = {},
): Promise<Dashboard> {
  const log = options.log ?? ((line: string) => console.log(line));
  const db = config.database;
  const ca = db.sslrootcert ? await Deno.readTextFile(db.sslrootcert) : undefined;
  const sql = postgres(db.url, {
    ...clientOptions(db, ca),
    max: 4,
    connection: { application_name: "glidepath-dashboard" },
  });
  try {
    const [row] = await sql`SELECT coalesce(max(version), 0)::int AS v FROM glidepath.migrations`;
    if (Number(row?.v) < CENTRAL_SCHEMA_VERSION) {
      throw new TypeError(
        `Cannot start dashboard: the central schema is version ${row?.v}, this build needs ${CENTRAL_SCHEMA_VERSION} (deno task central migrate)`,
      );
    }
    const assets = options.assets ?? await buildDashboardPage();
    const app = createDashboardApp({
      ...options,
      sql,
      assets,
      publicOrigin: config.publicOrigin,
      log,
      // A page on a rebinding DNS name reaches this port but names itself in Host.
      hostNames: [
        ...LOOPBACK_NAMES,
        config.hostname.toLowerCase(),
        ...(config.publicOrigin ? [new URL(config.publicOrigin).hostname] : []),
      ],
      addressOf: (c) => {
        if (config.trustProxy) {
          const hop = c.req.header("x-forwarded-for")?.split(",").at(-1)?.trim();
          if (hop) return hop.slice(0, 64);
        }
        const addr = (c.env as { remoteAddr?: Deno.NetAddr } | undefined)?.remoteAddr;
        return addr?.hostname ?? "unknown";
      },
    });
    const controller = new AbortController();
    const server = Deno.serve(
      { hostname: config.hostname, port: config.port, signal: controller.signal, onListen: () => {} },
      (req, info) => app.fetch(req, { remoteAddr: info.remoteAddr }),
    );
    const port = server.addr.port;
    const host = server.addr.hostname.includes(":") ? `[${server.addr.hostname}]` : server.addr.hostname;
    const url = `http://${host}:${port}/`;
    log(
      `dashboard: serving ${url}${
        config.publicOrigin ? ` (public ${config.publicOrigin})` : ""
      }, central ${db.redacted}`,
    );
    let done: Promise<void> | null = null;
    return {
      url,
      port,
      shutdown() {
        done ??= (async () => {
          controller.abort();
          await server.finished;
          await sql.end({ timeout: 1 });
        })();
        return done;
      },
    };
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw error;
  }
}

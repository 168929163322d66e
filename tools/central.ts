/**
 * `deno task central migrate|register|rotate|revoke|stations|approve|revoke-plugin|approvals|staff-add|
 * staff-disable|dashboard-login|dashboard`: the administrator's commands for the central store, and the staff dashboard.
 */
import postgres from "postgres";
import { readCentralToolConfig } from "../kiosk/config.ts";
import {
  addStaff,
  createDashboardLogin,
  disableStaff,
  readDashboardConfig,
  startDashboard,
} from "../kiosk/central/dashboard/mod.ts";
import {
  type ApprovalRow,
  approvePluginFolder,
  clientOptions,
  listApprovals,
  migrateCentral,
  registerStation,
  revokePlugin,
  revokeStation,
  rotateStationSecret,
  type StationCredential,
} from "../kiosk/central/mod.ts";

const USAGE = `usage: deno task central <command>
  migrate                      create or update the central schema
  register <salon> <station>   migrate, then register a station: prints its DATABASE_URL (secret shown once)
  rotate <station>             a new secret for a station (the old one stops working): prints its DATABASE_URL
  revoke <station>             disable a station's login (its records stay)
  stations                     every station: salon, last contact, what it shipped and last reported
  approve <salon|--chain> <plugin-folder> [--by NAME]
                               approve the plugin in that folder as it is (version, permissions, files) for a
                               salon's stations or the whole chain; stations apply it at their next pull
  revoke-plugin <salon|--chain> <plugin-id> [--by NAME]
                               revoke it there: stations stop it (a running driver: output 0, device STOP)
  approvals [salon]            the plugin decisions in force (a salon's override the chain's, except a chain revocation)
  staff-add <salon|--chain> <login>   a staff account for one salon or the whole chain (password read from stdin)
  staff-disable <login>        disable a staff account (its dashboard sessions end at their next request)
  dashboard-login              create the dashboard's database login (or a new secret): prints its DASHBOARD_DATABASE_URL
  dashboard                    serve the staff dashboard ($DASHBOARD_DATABASE_URL, $PORT, $HOST, docs/dashboard.md)
the central store: $CENTRAL_ADMIN_URL (postgres://admin:secret@host:5432/glidepath?sslmode=verify-full&sslrootcert=...)`;

/** `<salon|--chain> <arg> [--by NAME]`: the scope (null: the chain), the argument, and who decides (default: the admin role). */
function scopeArgs(rest: string[], what: string, defaultBy: string) {
  const by = rest.indexOf("--by");
  const decidedBy = by >= 0 ? rest[by + 1] : defaultBy;
  const args = by >= 0 ? rest.filter((_, i) => i !== by && i !== by + 1) : rest;
  const [scope, arg] = args;
  if (!scope || !arg || args.length !== 2 || !decidedBy) {
    throw new TypeError(`usage: deno task central ${what} [--by NAME]`);
  }
  return { salonId: scope === "--chain" ? null : scope, arg, decidedBy };
}

function showApproval(r: ApprovalRow): string {
  const perms = Object.entries(r.permissions).map(([k, v]) => `${k}=${(v as string[]).join(",")}`).join(" ");
  return `${(r.salonId ?? "(chain)").padEnd(14)} ${r.pluginId.padEnd(24)} ${
    r.enabled ? `approved ${r.version}` : "revoked"
  }  row ${r.id}  by ${r.decidedBy} at ${r.decidedAt.toISOString()}${
    r.enabled ? `  files ${r.filesHash.slice(0, 12)}…${perms ? `  permissions ${perms}` : ""}` : ""
  }`;
}

/**
 * A password from stdin: typed without echo at a terminal, else the first line of what is piped in (never argv,
 * which other users of the machine can read).
 */
async function readPassword(): Promise<string> {
  if (!Deno.stdin.isTerminal()) {
    return (await new Response(Deno.stdin.readable).text()).split(/\r?\n/)[0] ?? "";
  }
  await Deno.stdout.write(new TextEncoder().encode("password (not shown): "));
  Deno.stdin.setRaw(true);
  const bytes: number[] = [];
  try {
    const one = new Uint8Array(1);
    while ((await Deno.stdin.read(one)) !== null && one[0] !== 13 && one[0] !== 10) {
      if (one[0] === 3) throw new Error("cancelled");
      if (one[0] === 127) bytes.pop();
      else bytes.push(one[0]!);
    }
  } finally {
    Deno.stdin.setRaw(false);
    console.log();
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** Serves the dashboard until SIGINT or SIGTERM. */
async function serveDashboard(): Promise<number> {
  const dashboard = await startDashboard(readDashboardConfig(Deno.env.toObject()));
  await new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, resolve);
  });
  await dashboard.shutdown();
  return 0;
}

/** A station's (or the dashboard's) URL: the admin URL's server, database and TLS parameters with its role. */
function stationUrl(raw: string, c: Pick<StationCredential, "role" | "secret">): string {
  const u = new URL(raw);
  u.username = c.role;
  u.password = c.secret;
  return u.href;
}

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (!command || command === "help" || command === "--help") {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (command === "dashboard") return await serveDashboard();
  const { admin } = readCentralToolConfig(Deno.env.toObject());
  let ca: string | undefined;
  if (admin.sslrootcert) ca = await Deno.readTextFile(admin.sslrootcert);
  const sql = postgres(admin.url, { ...clientOptions(admin, ca), max: 1 });
  const raw = Deno.env.toObject().CENTRAL_ADMIN_URL!;
  try {
    switch (command) {
      case "migrate": {
        const applied = await migrateCentral(sql);
        console.log(
          applied.length ? `applied central schema steps ${applied.join(", ")}` : "central schema is current",
        );
        return 0;
      }
      case "register": {
        const [salon, station] = rest;
        if (!salon || !station) throw new TypeError("usage: deno task central register <salon> <station>");
        await migrateCentral(sql);
        const c = await registerStation(sql, salon, station);
        console.log(`registered station ${c.stationId} in salon ${c.salonId} (role ${c.role}); its setting:`);
        console.log(`DATABASE_URL=${stationUrl(raw, c)}`);
        return 0;
      }
      case "rotate": {
        const c = await rotateStationSecret(sql, rest[0] ?? "");
        console.log(`DATABASE_URL=${stationUrl(raw, c)}`);
        return 0;
      }
      case "revoke":
        await revokeStation(sql, rest[0] ?? "");
        console.log(`station ${rest[0]} can no longer log in`);
        return 0;
      case "stations": {
        const rows = await sql`SELECT id, salon_id, last_seen_at, shipped_seq, status FROM glidepath.stations
          ORDER BY salon_id, id`;
        for (const r of rows) {
          console.log(
            `${r.salon_id}/${r.id}  last contact ${
              r.last_seen_at?.toISOString() ?? "never"
            }  shipped ${r.shipped_seq}  ${JSON.stringify(r.status)}`,
          );
        }
        return 0;
      }
      case "approve": {
        const a = scopeArgs(rest, "approve <salon|--chain> <plugin-folder>", admin.user);
        const row = await approvePluginFolder(sql, a.arg, { salonId: a.salonId, decidedBy: a.decidedBy });
        console.log(showApproval(row));
        return 0;
      }
      case "revoke-plugin": {
        const a = scopeArgs(rest, "revoke-plugin <salon|--chain> <plugin-id>", admin.user);
        const row = await revokePlugin(sql, a.arg, { salonId: a.salonId, decidedBy: a.decidedBy });
        console.log(showApproval(row));
        return 0;
      }
      case "approvals": {
        const rows = await listApprovals(sql, rest[0] ? { salonId: rest[0] } : {});
        if (rows.length === 0) console.log("no plugin decisions recorded");
        for (const r of rows) console.log(showApproval(r));
        return 0;
      }
      case "staff-add": {
        const [scope, login] = rest;
        if (!scope || !login) {
          throw new TypeError("usage: deno task central staff-add <salon|--chain> <login>");
        }
        await addStaff(sql, scope === "--chain" ? null : scope, login, await readPassword());
        console.log(`staff ${login} added for ${scope === "--chain" ? "the whole chain" : `salon ${scope}`}`);
        return 0;
      }
      case "staff-disable":
        await disableStaff(sql, rest[0] ?? "");
        console.log(`staff ${rest[0]} disabled`);
        return 0;
      case "dashboard-login": {
        const c = await createDashboardLogin(sql);
        console.log(`the dashboard's database login (role ${c.role}; secret shown once):`);
        console.log(`DASHBOARD_DATABASE_URL=${stationUrl(raw, c)}`);
        return 0;
      }
      default:
        console.error(`unknown command "${command}"\n${USAGE}`);
        return 2;
    }
  } finally {
    await sql.end({ timeout: 1 });
  }
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    Deno.exit(1);
  }
}

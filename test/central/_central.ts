/** Central-store fixture: a throwaway cluster, the central schema migrated, stations registered. */
import postgres, { type Sql } from "postgres";
import {
  type CentralSetting,
  migrateCentral,
  parseDatabaseUrl,
  registerStation,
  type StationCredential,
} from "../../kiosk/central/mod.ts";
import { type PgCluster, type PgClusterOptions, startPgCluster } from "./_pg_cluster.ts";

/** A migrated central store with registered stations. */
export interface Central {
  cluster: PgCluster;
  /** Superuser connection (the administrator; not held by row-level security). */
  admin: Sql;
  stations: StationCredential[];
  /** The DATABASE_URL setting of a registered station. */
  setting(station: StationCredential): CentralSetting;
  /** A connection as a station's role. */
  as(station: StationCredential): Sql;
  dispose(): Promise<void>;
}

/** Starts a cluster, migrates it and registers `[salon, station]` pairs in order. */
export async function startCentral(
  pairs: ReadonlyArray<readonly [string, string]>,
  options: PgClusterOptions = {},
): Promise<Central> {
  const cluster = await startPgCluster(options);
  const admin = postgres(cluster.adminUrl, { onnotice: () => {}, max: 2 });
  const opened: Sql[] = [];
  try {
    await migrateCentral(admin);
    const stations: StationCredential[] = [];
    for (const [salon, station] of pairs) stations.push(await registerStation(admin, salon, station));
    return {
      cluster,
      admin,
      stations,
      setting: (s) => parseDatabaseUrl(cluster.url(s.role, s.secret)),
      as(s) {
        const sql = postgres(cluster.url(s.role, s.secret), { onnotice: () => {}, max: 1 });
        opened.push(sql);
        return sql;
      },
      async dispose() {
        await Promise.all(opened.map((s) => s.end({ timeout: 1 })));
        await admin.end({ timeout: 1 });
        await cluster.dispose();
      },
    };
  } catch (error) {
    await admin.end({ timeout: 1 });
    await cluster.dispose();
    throw error;
  }
}

/** A Central whose stations are typed one per registered pair, in order. */
export type CentralFor<P extends ReadonlyArray<readonly [string, string]>> = Omit<Central, "stations"> & {
  stations: { readonly [K in keyof P]: StationCredential };
};

/**
 * startCentral with `stations` typed one per pair, in order, so a suite can name them:
 * `const { stations: [a1, b1] } = await startCentralFor([["salon-a", "a-1"], ["salon-b", "b-1"]])`.
 */
export async function startCentralFor<const P extends ReadonlyArray<readonly [string, string]>>(
  pairs: P,
  options: PgClusterOptions = {},
): Promise<CentralFor<P>> {
  return await startCentral(pairs, options) as CentralFor<P>;
}

/** Waits (polling, no timing assertion) until `ok` holds; fails naming `what` after `ms`. */
export async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

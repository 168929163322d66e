/**
 * A throwaway PostgreSQL cluster for tests and benches: Debian's server binaries, a temp folder, a free port on
 * 127.0.0.1 only, run as the `postgres` user when the test runs as root (the server refuses root).
 */
import { join } from "node:path";

/** A running (or stopped) throwaway cluster. */
export interface PgCluster {
  /** The cluster's folder (data, log, socket). */
  readonly dir: string;
  /** TCP port on 127.0.0.1; the same across stop/start. */
  readonly port: number;
  /** Superuser URL (database `glidepath`). */
  readonly adminUrl: string;
  /** A URL for another role on the same database. */
  url(user: string, password: string, database?: string): string;
  /** Stops the server: "fast" ends sessions cleanly, "immediate" is a crash (recovery at the next start). */
  stop(mode?: "fast" | "immediate"): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** Stops the server and removes the folder. */
  dispose(): Promise<void>;
}

const PREFIX = "gp-pg-";

/** The folder of Debian's server binaries (newest major version), or null when PostgreSQL is not installed. */
export function findPgBin(): string | null {
  try {
    const versions = [...Deno.readDirSync("/usr/lib/postgresql")]
      .map((e) => e.name).filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const bin = `/usr/lib/postgresql/${v}/bin`;
      try {
        Deno.statSync(`${bin}/initdb`);
        return bin;
      } catch { /* next */ }
    }
  } catch { /* not installed */ }
  return null;
}

function postgresIds(): { uid: number; gid: number } | null {
  if (Deno.uid() !== 0) return null;
  const line = Deno.readTextFileSync("/etc/passwd").split("\n").find((l) => l.startsWith("postgres:"));
  if (!line) {
    throw new Error(
      "Cannot start a test cluster as root: there is no postgres user (apt-get install postgresql)",
    );
  }
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

async function run(bin: string, args: string[], asPostgres: boolean): Promise<string> {
  const [cmd, full] = asPostgres ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  const out = await new Deno.Command(cmd, { args: full, stdout: "piped", stderr: "piped", cwd: "/tmp" })
    .output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) {
    throw new Error(`${bin.split("/").pop()} ${args.join(" ")} failed (${out.code}):\n${text}`);
  }
  return text;
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

function pidAlive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

// A test killed by the runner's timeout leaves its cluster behind: the next start stops those whose owner is gone.
async function reapOrphans(bin: string, asPostgres: boolean): Promise<void> {
  for (const e of Deno.readDirSync("/tmp")) {
    if (!e.isDirectory || !e.name.startsWith(PREFIX)) continue;
    const dir = join("/tmp", e.name);
    let owner = NaN;
    try {
      owner = Number(Deno.readTextFileSync(join(dir, "owner.pid")));
    } catch { /* not ours, or half made */ }
    if (!Number.isInteger(owner) || pidAlive(owner)) continue;
    try {
      await run(join(bin, "pg_ctl"), ["-D", join(dir, "data"), "-m", "immediate", "-w", "stop"], asPostgres);
    } catch { /* already stopped */ }
    Deno.removeSync(dir, { recursive: true });
  }
}

/** Options for startPgCluster. */
export interface PgClusterOptions {
  /** Serve TLS with this certificate and key (PEM files; copied into the cluster). Default: no TLS. */
  tls?: { cert: string; key: string };
}

/** Creates and starts a cluster; its superuser `postgres` has a random password; database `glidepath` exists. */
export async function startPgCluster(options: PgClusterOptions = {}): Promise<PgCluster> {
  const bin = findPgBin();
  if (!bin) throw new Error("PostgreSQL is not installed: apt-get install postgresql (.ci/run does)");
  const ids = postgresIds();
  const asPostgres = ids !== null;
  await reapOrphans(bin, asPostgres);
  const dir = Deno.makeTempDirSync({ prefix: PREFIX });
  Deno.writeTextFileSync(join(dir, "owner.pid"), String(Deno.pid));
  const data = join(dir, "data");
  const password = crypto.randomUUID();
  const pwfile = join(dir, "pw");
  Deno.writeTextFileSync(pwfile, password + "\n", { mode: 0o600 });
  if (ids) {
    Deno.chownSync(dir, ids.uid, ids.gid);
    Deno.chownSync(pwfile, ids.uid, ids.gid);
  }
  await run(
    join(bin, "initdb"),
    [
      "-D",
      data,
      "-U",
      "postgres",
      `--pwfile=${pwfile}`,
      "--auth-local=trust",
      "--auth-host=scram-sha-256",
      "-E",
      "UTF8",
      "--no-sync",
    ],
    asPostgres,
  );
  Deno.removeSync(pwfile);
  const port = freePort();
  // Loopback only; the socket in the cluster's own folder; no fsync (a throwaway cluster, the OS does not crash).
  // synchronous_commit stays on: a station deletes what it shipped once the commit returns, so a commit that an
  // immediate stop could still lose would lose records (this file's test showed it with it off).
  const conf = [
    `listen_addresses = '127.0.0.1'`,
    `port = ${port}`,
    `unix_socket_directories = '${dir}'`,
    `fsync = off`,
    `full_page_writes = off`,
    `max_connections = 200`,
    `log_min_messages = warning`,
  ];
  if (options.tls) {
    for (const [from, to] of [[options.tls.cert, "server.crt"], [options.tls.key, "server.key"]] as const) {
      Deno.copyFileSync(from, join(data, to));
      Deno.chmodSync(join(data, to), 0o600);
      if (ids) Deno.chownSync(join(data, to), ids.uid, ids.gid);
    }
    conf.push(`ssl = on`, `ssl_cert_file = 'server.crt'`, `ssl_key_file = 'server.key'`);
  }
  Deno.writeTextFileSync(join(data, "postgresql.conf"), "\n" + conf.join("\n") + "\n", { append: true });
  const pgCtl = join(bin, "pg_ctl");
  const start = () =>
    run(pgCtl, ["-D", data, "-l", join(dir, "log"), "-w", "-t", "60", "start"], asPostgres).then(() => {});
  await start();
  await run(join(bin, "psql"), [
    "-h",
    dir,
    "-p",
    String(port),
    "-U",
    "postgres",
    "-d",
    "postgres",
    "-qc",
    "CREATE DATABASE glidepath",
  ], asPostgres);
  let running = true;
  const url = (user: string, pw: string, db = "glidepath") =>
    `postgres://${encodeURIComponent(user)}:${encodeURIComponent(pw)}@127.0.0.1:${port}/${db}`;
  const stop = async (mode: "fast" | "immediate" = "fast") => {
    await run(pgCtl, ["-D", data, "-m", mode, "-w", "stop"], asPostgres);
    running = false;
  };
  // A test that throws past its dispose still stops the server when the process exits.
  const onUnload = () => {
    if (!running) return;
    const args = ["-D", data, "-m", "immediate", "stop"];
    new Deno.Command(asPostgres ? "runuser" : pgCtl, {
      args: asPostgres ? ["-u", "postgres", "--", pgCtl, ...args] : args,
      stdout: "null",
      stderr: "null",
    }).outputSync();
    Deno.removeSync(dir, { recursive: true });
  };
  globalThis.addEventListener("unload", onUnload);
  return {
    dir,
    port,
    adminUrl: url("postgres", password),
    url,
    stop,
    async start() {
      await start();
      running = true;
    },
    async dispose() {
      globalThis.removeEventListener("unload", onUnload);
      if (running) await stop("immediate");
      Deno.removeSync(dir, { recursive: true });
    },
  };
}

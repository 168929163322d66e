/** Test certificates made with openssl: a CA and a server certificate it signs, for the throwaway cluster's TLS. */
import { join } from "node:path";

/** Paths of the PEM files made. */
export interface TestCerts {
  ca: string;
  cert: string;
  key: string;
  /** A CA that signed nothing here (a server that is not the central store). */
  otherCa: string;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  const out = await new Deno.Command("openssl", { args, cwd, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) throw new Error(`openssl ${args[0]} failed: ${new TextDecoder().decode(out.stderr)}`);
}

/** A CA and a server certificate for `san` (e.g. "DNS:central.example"), valid for a day. */
export async function makeCerts(dir: string, san: string): Promise<TestCerts> {
  const days = ["-days", "1"];
  for (const name of ["ca", "other-ca"]) {
    await openssl([
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.pem`,
      "-subj",
      `/CN=glidepath test ${name}`,
      ...days,
    ], dir);
  }
  await openssl([
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
    "-subj",
    "/CN=glidepath central",
  ], dir);
  Deno.writeTextFileSync(join(dir, "ext.cnf"), `subjectAltName = ${san}\n`);
  await openssl([
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "server.pem",
    "-extfile",
    "ext.cnf",
    ...days,
  ], dir);
  return {
    ca: join(dir, "ca.pem"),
    cert: join(dir, "server.pem"),
    key: join(dir, "server.key"),
    otherCa: join(dir, "other-ca.pem"),
  };
}

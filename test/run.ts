/** Test command: runs every test/**\/*.test.ts uvu suite in its own Deno process and prints "N passed, N failed". */
import { relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const filter = Deno.args[0] ?? "";
const concurrency = Number(Deno.env.get("TEST_JOBS") ?? "2");

async function findTests(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) found.push(...await findTests(path));
    else if (entry.name.endsWith(".test.ts") || entry.name.endsWith(".test.tsx")) found.push(path);
  }
  return found.sort();
}

interface FileResult {
  file: string;
  passed: number;
  failed: number;
  skipped: number;
  output: string;
  code: number;
  ms: number;
}

// uvu prints "Total: N", "Passed: N", "Skipped: N" per process; a crash before them counts as one failure.
function tally(output: string, code: number): { passed: number; failed: number; skipped: number } {
  const plain = output.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"), "");
  const sum = (label: string) =>
    [...plain.matchAll(new RegExp(`${label}:\\s+(\\d+)`, "g"))].reduce((n, m) => n + Number(m[1]), 0);
  const total = sum("Total");
  const passed = sum("Passed");
  const skipped = sum("Skipped");
  let failed = total - passed - skipped;
  if (code !== 0 && failed === 0) failed = 1;
  if (total === 0 && code === 0) failed = 1; // a suite that ran nothing is a failure, not a pass
  return { passed, failed, skipped };
}

/** A test file that runs longer than this is killed and counted as failed, so CI can never hang on one. */
const FILE_TIMEOUT_MS = Number(Deno.env.get("TEST_FILE_TIMEOUT_S") ?? "300") * 1000;

/** Reads a stream to text until it ends or `until` resolves (a grandchild may keep a pipe open). */
async function drain(stream: ReadableStream<Uint8Array>, until: Promise<unknown>): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let done = false;
  const stop = until.then(() => new Promise((r) => setTimeout(r, 2000))).then(() => {
    if (!done) reader.cancel().catch(() => {});
  });
  try {
    while (true) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
  } catch { /* cancelled after the process exited */ }
  done = true;
  void stop;
  return text;
}

async function runFile(file: string): Promise<FileResult> {
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", file],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  let timedOut = false;
  // SIGKILL: a suite that traps SIGTERM (playwright does) must still go.
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, FILE_TIMEOUT_MS);
  const status = child.status;
  const [stdout, stderr, { code }] = await Promise.all([
    drain(child.stdout, status),
    drain(child.stderr, status),
    status,
  ]);
  clearTimeout(timer);
  let output = stdout + stderr;
  if (timedOut) output += `\nkilled: ${file} ran longer than ${FILE_TIMEOUT_MS / 1000} s\n`;
  const counts = tally(output, code);
  if (timedOut) counts.failed = Math.max(counts.failed, 1);
  return { file, ...counts, output, code, ms: performance.now() - started };
}

const files = (await findTests(`${root}test`)).filter((f) => f.includes(filter));

/**
 * Installs one of Debian's packages the suites need, once, on a fresh machine (as root), or says what is missing
 * and exits. `installed` tells whether it is there already.
 */
async function ensureDebianPackage(pkg: string, installed: () => boolean, forWhat: string): Promise<void> {
  if (installed()) return;
  if (Deno.uid() !== 0) {
    console.error(`${forWhat} need Debian's ${pkg}: run \`apt-get install ${pkg}\` as root.`);
    Deno.exit(1);
  }
  console.log(`Installing Debian's ${pkg} for the ${forWhat.toLowerCase()} (apt-get)...`);
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", pkg]]) {
    const { code } = await new Deno.Command("apt-get", {
      args,
      env: { DEBIAN_FRONTEND: "noninteractive" },
      stdout: "null",
    }).output();
    if (code !== 0) {
      console.error(`apt-get ${args.join(" ")} failed with exit code ${code}`);
      Deno.exit(1);
    }
  }
}

/** True when a file or folder exists (a non-empty folder when `nonEmpty`). */
function exists(path: string, nonEmpty = false): boolean {
  try {
    return nonEmpty ? [...Deno.readDirSync(path)].length > 0 : (Deno.statSync(path), true);
  } catch {
    return false;
  }
}

/** For each selected suite, whether it mentions `pattern`. */
function suitesUsing(pattern: RegExp): Promise<boolean[]> {
  return Promise.all(files.map(async (f) => pattern.test(await Deno.readTextFile(f))));
}

// Browser tests drive Debian's Chromium; central-store suites start a throwaway PostgreSQL cluster
// (test/central/_pg_cluster.ts).
const needsBrowser = await suitesUsing(/\/usr\/bin\/chromium|playwright-core|launchChromium/);
if (needsBrowser.some(Boolean)) {
  await ensureDebianPackage("chromium", () => exists("/usr/bin/chromium"), "Browser tests");
}
if ((await suitesUsing(/_pg_cluster\.ts/)).some(Boolean)) {
  await ensureDebianPackage("postgresql", () => exists("/usr/lib/postgresql", true), "Central-store tests");
}
const results: FileResult[] = [];

async function runAndReport(file: string): Promise<void> {
  const result = await runFile(file);
  results.push(result);
  const name = relative(root, file);
  const status = result.failed === 0 ? "ok  " : "FAIL";
  const seconds = (result.ms / 1000).toFixed(1);
  console.log(`${status} ${name}  ${result.passed} passed, ${result.failed} failed (${seconds} s)`);
  if (result.failed > 0 || Deno.env.get("TEST_VERBOSE")) console.log(result.output.replace(/^/gm, "    "));
}

// Plain suites share the cores; browser suites (Chromium + the face model) then run one at a time, alone,
// because on a 2-core machine two of them at once starve each other's camera pipeline.
const plain = files.filter((_, i) => !needsBrowser[i]);
const browser = files.filter((_, i) => needsBrowser[i]);
let next = 0;
async function worker() {
  while (next < plain.length) await runAndReport(plain[next++]!);
}
await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
for (const file of browser) await runAndReport(file);

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
const skipped = results.reduce((n, r) => n + r.skipped, 0);
if (files.length === 0) console.log("no test files found");
console.log(
  skipped > 0
    ? `${passed} passed, ${failed} failed, ${skipped} skipped`
    : `${passed} passed, ${failed} failed`,
);
Deno.exit(failed > 0 || files.length === 0 ? 1 : 0);

/** Checks face-model weight files against models/checksums.json with WebCrypto, in the page and in Deno alike. */

/** One weight file as listed in models/checksums.json. */
export interface ModelFileEntry {
  /** Path relative to models/, e.g. "facemesh/facemesh.bin". */
  path: string;
  bytes: number;
  /** Lower-case hex SHA-256. */
  sha256: string;
}

/** models/checksums.json, validated. */
export interface ModelManifest {
  algorithm: "SHA-256";
  files: ModelFileEntry[];
}

/** A weight file that is missing or does not match its checksum; callers show `message` on screen. */
export class ModelFileError extends Error {
  /** Every file that failed, with what is wrong with it. */
  readonly problems: { path: string; problem: "missing" | "corrupt"; detail: string }[];
  constructor(problems: { path: string; problem: "missing" | "corrupt"; detail: string }[]) {
    super(problems.map((p) => p.detail).join("; "));
    this.name = "ModelFileError";
    this.problems = problems;
  }
}

/** Validates untrusted checksums.json content; throws TypeError naming the bad field. */
export function parseModelManifest(json: unknown): ModelManifest {
  if (typeof json !== "object" || json === null) throw new TypeError("Model manifest must be an object");
  const { algorithm, files } = json as Record<string, unknown>;
  if (algorithm !== "SHA-256") {
    throw new TypeError(`Model manifest "algorithm" must be "SHA-256", got ${String(algorithm)}`);
  }
  if (!Array.isArray(files) || files.length === 0) {
    throw new TypeError('Model manifest "files" must be a non-empty array');
  }
  return {
    algorithm,
    files: files.map((f, i) => {
      const e = f as Record<string, unknown>;
      if (typeof e?.path !== "string" || e.path === "" || e.path.includes("..")) {
        throw new TypeError(
          `Model manifest files[${i}].path must be a relative path, got ${String(e?.path)}`,
        );
      }
      if (typeof e.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(e.sha256)) {
        throw new TypeError(`Model manifest files[${i}].sha256 must be 64 lower-case hex digits`);
      }
      if (!Number.isInteger(e.bytes) || (e.bytes as number) <= 0) {
        throw new TypeError(`Model manifest files[${i}].bytes must be a positive integer`);
      }
      return { path: e.path, bytes: e.bytes as number, sha256: e.sha256 };
    }),
  };
}

/** Lower-case hex SHA-256 of some bytes (WebCrypto). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Reads one model file by its manifest path; resolves null when it does not exist. */
export type ModelFileReader = (path: string) => Promise<Uint8Array | null>;

/**
 * Reads and hashes every file in the manifest; resolves to the verified bytes by path, or throws
 * ModelFileError naming each missing or corrupt file. Reads run in parallel.
 */
export async function verifyModelFiles(
  manifest: ModelManifest,
  read: ModelFileReader,
): Promise<Map<string, Uint8Array>> {
  const problems: ModelFileError["problems"] = [];
  const verified = new Map<string, Uint8Array>();
  await Promise.all(manifest.files.map(async (file) => {
    let bytes: Uint8Array | null;
    try {
      bytes = await read(file.path);
    } catch (err) {
      problems.push({
        path: file.path,
        problem: "missing",
        detail: `Model file "${file.path}" cannot be read: ${err}`,
      });
      return;
    }
    if (bytes === null) {
      problems.push({ path: file.path, problem: "missing", detail: `Model file "${file.path}" is missing` });
      return;
    }
    const actual = await sha256Hex(bytes);
    if (actual !== file.sha256 || bytes.byteLength !== file.bytes) {
      problems.push({
        path: file.path,
        problem: "corrupt",
        detail:
          `Model file "${file.path}" is corrupt: sha256 ${file.sha256.slice(0, 8)}… (${file.bytes} bytes) ` +
          `expected, got ${actual.slice(0, 8)}… (${bytes.byteLength} bytes)`,
      });
      return;
    }
    verified.set(file.path, bytes);
  }));
  if (problems.length > 0) {
    const order = manifest.files.map((f) => f.path);
    throw new ModelFileError(problems.sort((a, b) => order.indexOf(a.path) - order.indexOf(b.path)));
  }
  return verified;
}

/** A reader over HTTP under a base URL (the page's /models/); 404 → missing. */
export function httpModelReader(baseUrl: string, fetchImpl: typeof fetch = fetch): ModelFileReader {
  return async (path) => {
    const res = await fetchImpl(new URL(path, baseUrl));
    if (res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  };
}

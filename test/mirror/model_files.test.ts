/** Model weight integrity: checksums.json against the committed files, and clear errors for missing/corrupt copies. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  ModelFileError,
  type ModelFileReader,
  parseModelManifest,
  verifyModelFiles,
} from "../../kiosk/ui/vision/model_files.ts";

const modelsDir = new URL("../../models/", import.meta.url).pathname;
const manifest = parseModelManifest(JSON.parse(await Deno.readTextFile(`${modelsDir}checksums.json`)));

function dirReader(dir: string): ModelFileReader {
  return async (path) => {
    try {
      return await Deno.readFile(`${dir}/${path}`);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return null;
      throw err;
    }
  };
}

async function copyModels(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "glidepath-models-" });
  for (const f of manifest.files) {
    const target = `${dir}/${f.path}`;
    await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
    await Deno.copyFile(`${modelsDir}${f.path}`, target);
  }
  return dir;
}

test("committed weight files match checksums.json", async () => {
  const verified = await verifyModelFiles(manifest, dirReader(modelsDir));
  assert.is(verified.size, 4);
  assert.ok(verified.get("facemesh/facemesh.bin")!.byteLength > 1_000_000);
});

test("a flipped byte is reported as corrupt, naming the file", async () => {
  const dir = await copyModels();
  try {
    const path = `${dir}/facemesh/facemesh.bin`;
    const bytes = await Deno.readFile(path);
    bytes[1000] = bytes[1000]! ^ 0xff;
    await Deno.writeFile(path, bytes);
    const err = await verifyModelFiles(manifest, dirReader(dir)).catch((e) => e);
    assert.instance(err, ModelFileError);
    assert.equal(err.problems.map((p: { path: string; problem: string }) => [p.path, p.problem]), [
      ["facemesh/facemesh.bin", "corrupt"],
    ]);
    assert.match(err.message, /Model file "facemesh\/facemesh\.bin" is corrupt/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

test("a missing file and a truncated file are both named", async () => {
  const dir = await copyModels();
  try {
    await Deno.remove(`${dir}/facemesh/facemesh-detection-short.bin`);
    const json = await Deno.readFile(`${dir}/facemesh/facemesh.json`);
    await Deno.writeFile(`${dir}/facemesh/facemesh.json`, json.subarray(0, 100));
    const err = await verifyModelFiles(manifest, dirReader(dir)).catch((e) => e);
    assert.instance(err, ModelFileError);
    assert.equal(err.problems.map((p: { path: string; problem: string }) => [p.path, p.problem]), [
      ["facemesh/facemesh-detection-short.bin", "missing"],
      ["facemesh/facemesh.json", "corrupt"],
    ]);
    assert.match(err.message, /"facemesh\/facemesh-detection-short\.bin" is missing/);
    assert.match(err.message, /100 bytes/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

test("a reader that throws counts as missing rather than crashing the check", async () => {
  const err = await verifyModelFiles(manifest, () => Promise.reject(new Error("network down"))).catch((e) =>
    e
  );
  assert.instance(err, ModelFileError);
  assert.is(err.problems.length, 4);
  assert.match(err.message, /network down/);
});

test("manifest validation names the bad field", () => {
  assert.throws(() => parseModelManifest({ algorithm: "MD5", files: [] }), /"algorithm"/);
  assert.throws(
    () =>
      parseModelManifest({
        algorithm: "SHA-256",
        files: [{ path: "../x", bytes: 1, sha256: "0".repeat(64) }],
      }),
    /files\[0\]\.path/,
  );
  assert.throws(
    () => parseModelManifest({ algorithm: "SHA-256", files: [{ path: "x", bytes: 1, sha256: "abc" }] }),
    /files\[0\]\.sha256/,
  );
});

test.run();

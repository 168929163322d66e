/** Shared pieces are declared once: one clock interface, one CRC-16, one polygon distance, one VisionResult. */
import { test } from "uvu";
import * as assert from "uvu/assert";

const SHIPPED = ["core", "kiosk", "plugins", "examples"];

async function* sources(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory && e.name !== "dist") yield* sources(path);
    else if (/\.tsx?$/.test(e.name)) yield path;
  }
}

/** Shipped modules whose code (comments stripped) matches `pattern`. */
async function declaring(pattern: RegExp): Promise<string[]> {
  const found: string[] = [];
  for (const root of SHIPPED) {
    for await (const f of sources(root)) {
      const code = (await Deno.readTextFile(f)).replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      if (pattern.test(code)) found.push(f);
    }
  }
  return found.sort();
}

test("one clock interface: only core/sdk/clock.ts declares now/setTimeout/clearTimeout or a real clock", async () => {
  assert.equal(
    await declaring(/interface \w+[^{]*\{[^}]*\bnow\(\): number;[^}]*\bsetTimeout\(fn/),
    ["core/sdk/clock.ts"],
  );
  assert.equal(await declaring(/now: \(\) => performance\.now\(\)/), ["core/sdk/clock.ts"]);
});

test("one CRC-16: SIM-1 frames are checked by the SDK's crc16, the only CCITT table (poly 0x1021)", async () => {
  assert.equal(await declaring(/0x1021/), ["core/sdk/frames.ts"]);
  assert.equal(await declaring(/function crc16\b/), ["core/sdk/frames.ts"]);
});

test("one polygon distance: the even-odd test and edge distance live only in core/zones", async () => {
  assert.equal(await declaring(/inside = !inside/), ["core/zones/classify.ts"]);
  assert.equal(await declaring(/function uvDistanceToPolygon\b/), ["core/zones/classify.ts"]);
});

test("one VisionResult: its fields are declared only in kiosk/ui/vision/pipeline.ts", async () => {
  assert.equal(await declaring(/\bfaceCount: number;/), ["kiosk/ui/vision/pipeline.ts"]);
  assert.equal(await declaring(/\bmeshMs: number;/), ["kiosk/ui/vision/pipeline.ts"]);
});

test.run();

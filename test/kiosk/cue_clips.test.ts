/** The recorded cues: a clip for every cue phrase in every language, checked in with the words and sha256 its README lists. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { defaultZoneMap } from "../../core/zones/mod.ts";
import { CUE_ASSETS, CUE_CLIP_IDS, CUE_LANGUAGES } from "../../kiosk/ui/cue_assets.ts";
import { clipText, cueClips } from "../../kiosk/ui/cue_clips.ts";
import { LANGUAGES } from "../../kiosk/ui/i18n.ts";

const ROOT = new URL("../../", import.meta.url);
const README = await Deno.readTextFile(new URL("kiosk/ui/assets/cues/README.md", ROOT));

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The README's table: file → words and sha256. */
function listed(): Map<string, { words: string; sha: string }> {
  const rows = new Map<string, { words: string; sha: string }>();
  for (
    const m of README.matchAll(/^\|\s*`([^`]+\.ogg)`\s*\|\s*(.+?)\s*\|\s*\d+\s*\|\s*`([0-9a-f]{64})`\s*\|$/gm)
  ) {
    rows.set(m[1]!, { words: m[2]!, sha: m[3]! });
  }
  return rows;
}

test("clips exist for every language the page speaks", () => {
  assert.equal([...CUE_LANGUAGES], [...LANGUAGES]);
});

test("every move to a shipped zone and every hold is spoken by clips; a zone without one gets none", () => {
  for (const z of defaultZoneMap.zones.filter((z) => z.kind === "treatment")) {
    for (const glide of ["up", "down", "outward", "inward"] as const) {
      const clips = cueClips({ kind: "move", glide, zone: z.id });
      assert.equal(clips, [`glide-${glide}`, `zone-${z.id}`], z.id);
      for (const id of clips!) assert.ok(CUE_CLIP_IDS.includes(id), id);
    }
  }
  assert.equal(cueClips({ kind: "hold" }), ["hold"]);
  assert.is(cueClips({ kind: "move", glide: "up", zone: "masseter-left" }), null);
  assert.throws(() => clipText("zone-nose", "en"), (e: unknown) => e instanceof RangeError);
});

test("every clip file is checked in, says the words of today's catalogue, and matches the sha256 its README lists", async () => {
  const rows = listed();
  assert.is(rows.size, CUE_ASSETS.length, "one README row per clip");
  let total = 0;
  for (const asset of CUE_ASSETS) {
    const file = asset.path.replace("kiosk/ui/assets/cues/", "");
    const [lang, name] = file.split("/") as [typeof LANGUAGES[number], string];
    const row = rows.get(file);
    assert.ok(row, `${file} is listed`);
    // A phrase changed in the catalogue and not re-recorded (tools/build_cues.ts) fails here.
    assert.is(row!.words, clipText(name.replace(/\.ogg$/, ""), lang), file);
    const bytes = await Deno.readFile(new URL(asset.path, ROOT));
    assert.is(await sha256(bytes), row!.sha, `${file} sha256`);
    // Ogg pages start with "OggS"; the first carries the Opus head.
    assert.is(new TextDecoder().decode(bytes.subarray(0, 4)), "OggS", file);
    assert.ok(new TextDecoder().decode(bytes.subarray(28, 36)) === "OpusHead", `${file} is Opus`);
    total += bytes.byteLength;
  }
  assert.ok(total < 200_000, `all clips together stay small: ${total} bytes`);
});

test.run();

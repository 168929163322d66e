/** The mirror's page settings: one parser for the URL, each bad value named, and the prompt it shows. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type MirrorConfig, parseMirrorConfig } from "../../kiosk/ui/mirror/config.ts";
import { mirrorPrompts } from "../../kiosk/ui/mirror/mod.ts";

const none: MirrorConfig = { camera: null, backend: null, hue: null, frames: "stream" };

const good: [string, Partial<MirrorConfig>][] = [
  ["", {}],
  ["?camera=demo", { camera: "demo" }],
  ["?camera=auto&backend=auto", { camera: "auto", backend: "auto" }],
  ["?camera=4f1c9a2b", { camera: "4f1c9a2b" }],
  ["?backend=wasm", { backend: "wasm" }],
  ["?backend=cpu&hue=300", { backend: "cpu", hue: 300 }],
  ["?hue=0", { hue: 0 }],
  ["?hue=360", { hue: 360 }],
  ["?hue=42.5", { hue: 42.5 }],
  ["?frames=video", { frames: "video" }],
  ["?frames=stream", {}],
  // The switches of removed paths and anything else the page does not know are left alone.
  ["?test=1&worker=1&mesh=full&crowd=inline&capture=canvas&coi=1", {}],
];
for (const [search, want] of good) {
  test(`reads ${JSON.stringify(search)}`, () => {
    assert.equal(parseMirrorConfig(search), { ...none, ...want });
  });
}

const bad: [string, RegExp][] = [
  ["?backend=webgpu", /backend must be one of auto, webgl, wasm, cpu, got "webgpu"/],
  ["?backend=", /backend must be one of .*, got ""/],
  ["?hue=abc", /hue must be a number of degrees 0\.\.360, got "abc"/],
  ["?hue=", /hue must be .*, got ""/],
  ["?hue=-1", /hue must be .*, got "-1"/],
  ["?hue=361", /hue must be .*, got "361"/],
  ["?hue=Infinity", /hue must be .*, got "Infinity"/],
  ["?camera=", /camera must be auto, demo or a camera id, got ""/],
  ["?frames=timer", /frames must be stream or video, got "timer"/],
];
for (const [search, message] of bad) {
  test(`refuses ${JSON.stringify(search)} with a RangeError naming the value`, () => {
    try {
      parseMirrorConfig(search);
      assert.unreachable("no error");
    } catch (err) {
      assert.instance(err, RangeError);
      assert.match((err as Error).message, /^Cannot read the page address: /);
      assert.match((err as Error).message, message);
    }
  });
}

test("takes parsed parameters too", () => {
  assert.equal(parseMirrorConfig(new URLSearchParams({ camera: "demo", hue: "10" })), {
    ...none,
    camera: "demo",
    hue: 10,
  });
});

test("a bad setting is the one prompt shown, and says output stays off", () => {
  const prompts = mirrorPrompts({
    settingsError: 'Cannot read the page address: hue must be a number of degrees 0..360, got "abc"',
    cameraError: "Camera access was denied.",
    notice: "no-face",
    frame: null,
  });
  assert.equal(prompts, [{
    level: "error",
    text:
      'Cannot read the page address: hue must be a number of degrees 0..360, got "abc". Output stays off.',
  }]);
});

test.run();

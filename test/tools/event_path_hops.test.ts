import { test } from "uvu";
import * as assert from "uvu/assert";
import { countServerHops } from "../../tools/event_path/server.ts";
import { modulesOf } from "../../tools/event_path/hops.ts";

test("the kiosk half follows a probe from the page's socket through hub, runner and engine to the device write", async () => {
  const hops = await countServerHops({ demo: true });
  const has = (file: string, name: string) => hops.some((h) => h.file === file && h.name === name);
  for (
    const [file, name] of [
      ["kiosk/server/ws_hub.ts", "message"],
      ["kiosk/session/runner.ts", "submit"],
      ["core/engine/engine.ts", "apply"],
      ["core/engine/engine.ts", "frame"],
      ["kiosk/device/device_host.ts", "send"],
      ["plugins/sim-binary/codec.ts", "output"],
    ] as const
  ) assert.ok(has(file, name), `${file} ${name} is on the path`);
  // It starts at the socket the real kiosk reads (startKiosk's app), not at the hub.
  assert.ok(modulesOf(hops).includes("kiosk/server/app.ts"), "the socket's listener is on the path");
  // The demo only notes that the page's probe came (to yield); its own stepping runs on its timer, not here.
  assert.not.ok(
    has("kiosk/session/demo_probe.ts", "step"),
    "the virtual probe does not step inside the tick",
  );
  assert.not.ok(has("kiosk/session/demo.ts", "frame"), "the demo has no frame callback");
  assert.not.ok(
    hops.some((h) => /emulator|sim_usb|manual_clock/.test(h.file)),
    "the device side is not counted",
  );
});

test.run();

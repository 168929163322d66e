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
      ["plugins/sim-binary/driver.ts", "output"],
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

test("no kiosk module on the path only forwards: the driver is guarded and checked without wrapper layers", async () => {
  const modules = modulesOf(await countServerHops());
  // Each of these was entered on every frame only to pass a call on (issue 8: 31 kiosk modules, now 27).
  for (
    const file of [
      "core/sdk/async_codec.ts", // a Promise around the first-party codec, which the guard awaits anyway
      "core/sdk/define_driver.ts", // a closure calling inspectOutput on the definition
      "kiosk/runtime.ts", // an observer of every event, for the operator cap after a start or cap
      "kiosk/plugins/_output_check.ts", // the read-back rule, now beside validateOutputCommand
    ]
  ) assert.not.ok(modules.includes(file), `${file} is not on the path`);
  // Every check is still made on the way: the command's envelope, the read-back of the bytes, the device limit.
  for (
    const file of ["core/sdk/envelope.ts", "plugins/sim-binary/driver.ts", "kiosk/device/device_host.ts"]
  ) {
    assert.ok(modules.includes(file), `${file} is on the path`);
  }
});

test.run();

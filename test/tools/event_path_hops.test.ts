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
  // Each of these was entered on every frame only to pass a call on (issue 8: 31 kiosk modules, then 27).
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

test("the kiosk modules merged for issue 8 still make every check on the way, each in its one module", async () => {
  const hops = await countServerHops();
  const modules = modulesOf(hops);
  const has = (file: string, name: string) => hops.some((h) => h.file === file && h.name === name);
  // [where the check runs now, a function of it on the path, the module it was a hop of its own in]
  const merged = [
    ["kiosk/server/sockets.ts", "take", "kiosk/server/socket_limits.ts"], // the rate limit
    ["kiosk/server/sockets.ts", "isBacklogged", "kiosk/server/socket_limits.ts"], // the broadcast's backlog guard
    ["kiosk/server/sockets.ts", "toServer", "kiosk/server/page_clock.ts"], // the observation's age
    ["kiosk/server/sockets.ts", "admit", "kiosk/server/_hub_sockets.ts"],
    ["kiosk/server/page_message.ts", "roleRefusal", "kiosk/server/message_rules.ts"],
    ["core/zones/classify.ts", "contains", "core/zones/polygon.ts"],
    ["kiosk/device/device_host.ts", "commanded", "kiosk/device/_cross_check.ts"], // the cross-check's record
    ["kiosk/session/records.ts", "push", "kiosk/session/event_log.ts"], // the event log's line
    ["plugins/sim-binary/driver.ts", "output", "plugins/sim-binary/codec.ts"],
    ["plugins/sim-binary/protocol.ts", "encodeOutput", "plugins/sim-binary/messages.ts"],
    ["plugins/sim-binary/protocol.ts", "encodeFrame", "plugins/sim-binary/frame.ts"], // with its CRC
  ] as const;
  for (const [file, name, was] of merged) {
    assert.ok(has(file, name), `${file} ${name} is on the path`);
    assert.not.ok(modules.includes(was), `${was} is not a hop of its own`);
  }
});

test.run();

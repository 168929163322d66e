/** Real-USB adapter on a machine without USB: clear DeviceUnavailableError, never a crash; default device falls back to the SIM-1. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  createDefaultDevice,
  DeviceUnavailableError,
  openUsb,
  startDefaultDeviceHost,
} from "../../kiosk/device/mod.ts";
import { ManualClock } from "../../plugins/sim-binary/mod.ts";
import { statusAfter } from "./_host_rig.ts";

const hasUsb = await Deno.stat("/sys/bus/usb").then(() => true, () => false);

test("without /sys/bus/usb openUsb rejects with DeviceUnavailableError naming the path", async () => {
  const err = await openUsb({ sysPath: "/nonexistent/sys/bus/usb" }).catch((e) => e);
  assert.instance(err, DeviceUnavailableError);
  assert.is(err.name, "DeviceUnavailableError");
  assert.is(
    err.message,
    "No USB subsystem on this machine (/nonexistent/sys/bus/usb is absent); use the simulated device",
  );
});

test("on this machine the default path reports the missing USB subsystem (or USB works)", async () => {
  const result = await openUsb().then(() => "ok", (e) => e);
  if (hasUsb) assert.ok(result === "ok" || result instanceof DeviceUnavailableError);
  else {
    assert.instance(result, DeviceUnavailableError);
    assert.match(result.message, /^No USB subsystem on this machine \(\/sys\/bus\/usb is absent\)/);
  }
});

test("a native addon that fails to load is reported, with the cause kept", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const boom = new Error("libusb-1.0.so.0: cannot open shared object file");
    const err = await openUsb({ sysPath: dir, load: () => Promise.reject(boom) }).catch((e) => e);
    assert.instance(err, DeviceUnavailableError);
    assert.match(
      err.message,
      /^Cannot load the native USB addon \(npm "usb"\): libusb-1\.0\.so\.0: cannot open/,
    );
    assert.is(err.cause, boom);
    const noExport = await openUsb({ sysPath: dir, load: () => Promise.resolve({} as never) }).catch((e) =>
      e
    );
    assert.match(noExport.message, /no WebUSB export/);
  } finally {
    await Deno.remove(dir);
  }
});

test("the real npm usb addon: a registry that lists devices where USB works, DeviceUnavailableError otherwise", async () => {
  // With a USB subsystem the real one is used; without, an empty folder stands in for /sys/bus/usb.
  const dir = hasUsb ? "/sys/bus/usb" : await Deno.makeTempDir();
  try {
    const result = await openUsb({ sysPath: dir }).then((usb) => ({ usb }), (error) => ({ error }));
    if ("usb" in result) {
      assert.ok(hasUsb, "a registry came back on a machine without a USB subsystem");
      const devices = await result.usb.getDevices();
      assert.ok(Array.isArray(devices));
      assert.ok(devices.every((d) => Number.isInteger(d.vendorId) && Number.isInteger(d.productId)));
    } else {
      assert.instance(result.error, DeviceUnavailableError, String(result.error));
      assert.match(
        result.error.message,
        /^(USB is not usable on this machine|Cannot load the native USB addon)/,
      );
      if (!hasUsb) {
        assert.match(result.error.message, /^USB is not usable on this machine: .*\/sys\/bus\/usb/);
      }
    }
  } finally {
    if (!hasUsb) await Deno.remove(dir);
  }
});

test("a stat of /sys that Deno's permissions refuse is not taken for a missing USB subsystem", async () => {
  // The kiosk runs with --allow-read, and Deno refuses some /sys reads without --allow-all; libusb may still work.
  const dir = Deno.makeTempDirSync({ prefix: "gp-usbperm-" });
  const script = `${dir}/probe.ts`;
  Deno.writeTextFileSync(
    script,
    `import { openUsb } from "${new URL("../../kiosk/device/usb_adapter.ts", import.meta.url).href}";
class FakeWebUsb { constructor(_o: unknown) {} async getDevices() { return []; } addEventListener() {} removeEventListener() {} }
const usb = await openUsb({ sysPath: "${Deno.cwd()}", load: () => Promise.resolve({ WebUSB: FakeWebUsb } as never) });
console.log("opened", (await usb.getDevices()).length);`,
  );
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--allow-read=${dir},${new URL("../../", import.meta.url).pathname}node_modules`,
      "--allow-env",
      script,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  assert.is(code, 0, out);
  assert.match(out, /opened 0/);
});

test("an adapter over a working WebUSB lists devices and forwards hot-plug listeners", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const added: string[] = [];
    class FakeWebUsb {
      constructor(readonly options: unknown) {}
      getDevices = () => Promise.resolve([{ vendorId: 0x1209 }]);
      addEventListener = (type: string) => added.push(`+${type}`);
      removeEventListener = (type: string) => added.push(`-${type}`);
    }
    const usb = await openUsb({ sysPath: dir, load: () => Promise.resolve({ WebUSB: FakeWebUsb } as never) });
    assert.equal(await usb.getDevices(), [{ vendorId: 0x1209 }] as never);
    const listener = () => {};
    usb.addEventListener!("connect", listener);
    usb.removeEventListener!("connect", listener);
    assert.equal(added, ["+connect", "-connect"]);
  } finally {
    await Deno.remove(dir);
  }
});

test("createDefaultDevice falls back to the simulated SIM-1 and says why; a host connects to it", async () => {
  const clock = new ManualClock();
  const dd = await createDefaultDevice({ clock, usb: { sysPath: "/nonexistent" } });
  assert.is(dd.kind, "simulated");
  assert.match(dd.reason!, /No USB subsystem on this machine/);
  assert.ok(dd.simulated);
  const status = await statusAfter(dd.driver, dd.usb, clock, 100);
  assert.is(status.state, "connected");
  assert.is(status.model, "GP-SIM-1");
});

test("createDefaultDevice without hardware preference skips USB entirely", async () => {
  const dd = await createDefaultDevice({
    preferHardware: false,
    clock: new ManualClock(),
    randomLiftSeed: 5,
  });
  assert.is(dd.kind, "simulated");
  assert.is(dd.reason, "hardware not requested");
  assert.equal((await dd.usb.getDevices()).length, 1);
});

test("startDefaultDeviceHost gives a started host on the simulated SIM-1 that a kiosk can use as its sink", async () => {
  const clock = new ManualClock();
  const { host, device } = await startDefaultDeviceHost({ clock, usb: { sysPath: "/nonexistent" } });
  await clock.run(100);
  assert.is(device.kind, "simulated");
  assert.is(host.status().state, "connected");
  await host.dispose();
  assert.not.ok(device.simulated!.opened);
});

test.run();

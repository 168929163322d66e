/** A changed Acme Glow driver installed into an operator plugin folder: the misbehaving drivers of the plugin tests and the fault matrix. */
import { join } from "node:path";
import { createPluginHost } from "../kiosk/plugins/mod.ts";
import { copy } from "./_copy_dir.ts";

const ROOT = new URL("../", import.meta.url).pathname;

/** How the variant differs from the example driver: source text placed into its mod.ts. */
export interface GlowVariant {
  /** Module-level declarations before the driver (state the changed codec keeps). */
  prelude?: string;
  /**
   * Statements inside `createCodec()` that change `codec` (a GlowCodec); `output` is its original
   * `output`, already bound.
   */
  codec: string;
  /** The `inspectOutput` expression. Default: the example's `inspectGlowOutput`. */
  inspectOutput?: string;
}

/** The mod.ts of the Glow driver changed as `variant` says (same id, filters and endpoints as the example). */
export function glowVariantSource(variant: GlowVariant): string {
  return `import { defineDriver } from "@glidepath/sdk";
import { GlowCodec, inspectGlowOutput } from "./codec.ts";
${variant.prelude ?? ""}
export const driver = defineDriver({
  id: "acme.glow",
  filters: [{ vendorId: 0x1209, productId: 0xac02 }],
  endpoints: { interfaceNumber: 0, out: 1, in: 1, packetSize: 64 },
  createCodec() {
    const codec = new GlowCodec();
    const output = codec.output.bind(codec);
${variant.codec}
    return codec;
  },
  inspectOutput: ${variant.inspectOutput ?? "inspectGlowOutput"},
});
`;
}

/** Copies examples/acme-glow into `pluginDir/acme.glow` (as is without a variant); returns that folder. */
export async function installGlow(pluginDir: string, variant?: GlowVariant): Promise<string> {
  const dir = join(pluginDir, "acme.glow");
  await copy(join(ROOT, "examples/acme-glow"), dir);
  if (variant) await Deno.writeTextFile(join(dir, "mod.ts"), glowVariantSource(variant));
  return dir;
}

/** Approves the installed Glow plugin in `pluginDir` as an operator does (`deno task plugin enable acme.glow`). */
export async function approveGlow(pluginDir: string): Promise<void> {
  const plugins = await createPluginHost({ operatorDir: pluginDir });
  await plugins.enable("acme.glow");
  await plugins.dispose();
}

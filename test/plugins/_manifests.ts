/** Test fixture: the plugin.json of a misbehaving GP-TXT driver (fixtures/bad/<how>.ts), as the suites write it. */

/** The manifest of fixtures/bad/`how`.ts (id test.bad-`how`); `more` adds or replaces fields. */
export function badManifest(how: string, more: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `test.bad-${how}`,
    name: how,
    version: "1.0.0",
    apiVersion: "^1.0.0",
    kinds: ["device-driver"],
    entry: `${how}.ts`,
    usb: { filters: [{ vendorId: 0x1209, productId: 0x7478 }] },
    limits: { maxCurrentUa: 400 },
    ...more,
  };
}

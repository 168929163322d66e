/** Derives models/face_uv.json (UV468, TRI468, contour annotations) from @vladmandic/human's facemeshcoords.ts. */
// Usage: deno run -R -W tools/derive_face_uv.ts path/to/src/face/facemeshcoords.ts models/face_uv.json
const [source, target] = Deno.args;
if (!source || !target) throw new TypeError("Usage: derive_face_uv.ts <facemeshcoords.ts> <out.json>");
const text = await Deno.readTextFile(source);

function arrayLiteral(name: string): string {
  const start = text.indexOf(`export const ${name}`);
  if (start < 0) throw new RangeError(`Cannot find "${name}" in ${source}`);
  const open = text.indexOf("[", text.indexOf("=", start));
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "[") depth++;
    if (text[i] === "]" && --depth === 0) return text.slice(open, i + 1);
  }
  throw new RangeError(`Unterminated array "${name}" in ${source}`);
}

const uv = JSON.parse(arrayLiteral("UV468").replace(/,\s*]/g, "]")) as [number, number][];
const tri = JSON.parse(arrayLiteral("TRI468").replace(/,\s*]/g, "]")) as number[];
if (uv.length !== 468) throw new RangeError(`UV468 has ${uv.length} vertices, expected 468`);
if (tri.length % 3 !== 0) throw new RangeError(`TRI468 length ${tri.length} is not a multiple of 3`);

// Contours used by the zone map; keys as in meshAnnotations (lines that are comments there are skipped).
const annotations: Record<string, number[]> = {};
const block = text.slice(text.indexOf("meshAnnotations"), text.indexOf("export const meshLandmarks"));
for (const line of block.split("\n")) {
  const m = /^\s*([A-Za-z0-9]+):\s*\[([\d,\s]+)\]/.exec(line);
  if (m && m[1] && m[2]) annotations[m[1]] = m[2].split(",").map((s) => s.trim()).filter(Boolean).map(Number);
}
const silhouette = /silhouette:\s*\[([\d,\s]+)\]/.exec(block);
if (silhouette?.[1]) {
  annotations.silhouette = silhouette[1].split(",").map((s) => s.trim()).filter(Boolean).map(Number);
}

const out = {
  source: "@vladmandic/human 3.3.6, src/face/facemeshcoords.ts (UV468, TRI468, meshAnnotations), MIT licence",
  uv: uv.map(([u, v]) => [Math.round(u * 1e6) / 1e6, Math.round(v * 1e6) / 1e6]),
  triangles: tri,
  annotations,
};
await Deno.writeTextFile(target, JSON.stringify(out) + "\n");
console.log(
  `wrote ${target}: ${uv.length} vertices, ${tri.length / 3} triangles, ${
    Object.keys(annotations).length
  } contours`,
);

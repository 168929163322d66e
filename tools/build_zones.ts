/** Builds models/zones.json: treatment and keep-out polygons over the canonical UV face, mirrored left/right. */
// Usage: deno run -R -W tools/build_zones.ts  (reads models/face_uv.json, writes models/zones.json)
type Pt = [number, number];
const faceUv = JSON.parse(await Deno.readTextFile("models/face_uv.json")) as {
  uv: Pt[];
  annotations: Record<string, number[]>;
};
const at = (i: number): Pt => faceUv.uv[i]!;
const contour = (...names: string[]): Pt[] => names.flatMap((n) => faceUv.annotations[n]!.map(at));
// The silhouette landmarks are the mesh's edge; widen it 3 % about the face centre so they count as on the face.
const widen = ([u, v]: Pt): Pt => [0.5 + (u - 0.5) * 1.03, 0.55 + (v - 0.55) * 1.03];
const mirror = (poly: Pt[]): Pt[] => poly.map(([u, v]) => [round(1 - u), v] as Pt).reverse();
const round = (x: number) => Math.round(x * 1e4) / 1e4;
const r = (poly: Pt[]): Pt[] => poly.map(([u, v]) => [round(u), round(v)]);

// 40 mm from the midline at 209 mm per UV unit (DESIGN §2).
const NECK_HALF = round(40 / 209);
const jawAt = (u: number): number => {
  // Interpolates the silhouette's lower contour (subject's jaw) at u.
  const jaw = [58, 172, 136, 150, 149, 176, 148, 152, 377, 400, 378, 379, 365, 397, 288].map(at);
  for (let i = 1; i < jaw.length; i++) {
    const [u0, v0] = jaw[i - 1]!, [u1, v1] = jaw[i]!;
    if (u >= u0 && u <= u1) return v0 + (v1 - v0) * (u - u0) / (u1 - u0);
  }
  throw new RangeError(`u=${u} is outside the jaw contour`);
};

const eyeLeft: Pt[] = [...contour("rightEyeUpper0").reverse(), ...contour("rightEyeLower0")];
const eyeRight: Pt[] = [...contour("leftEyeUpper0").reverse(), ...contour("leftEyeLower0")];
const lips: Pt[] = [
  at(61),
  ...contour("lipsUpperOuter"),
  at(291),
  ...contour("lipsLowerOuter").slice(1, -1).reverse(),
];
const frontNeckTop = [149, 176, 148, 152, 377, 400, 378].map(at);
const frontNeck: Pt[] = [
  [0.5 - NECK_HALF, jawAt(0.5 - NECK_HALF)],
  ...frontNeckTop,
  [0.5 + NECK_HALF, jawAt(0.5 + NECK_HALF)],
  [0.5 + NECK_HALF, 1.6],
  [0.5 - NECK_HALF, 1.6],
];
const neckOutline: Pt[] = [[0.2, jawAt(0.2)], [0.8, jawAt(0.8)], [0.785, 1.35], [0.215, 1.35]];

const leftTreatment: { id: string; levelUa: number; freqHz: number; polygon: Pt[] }[] = [
  { id: "brow", levelUa: 150, freqHz: 3, polygon: [[0.2, 0.23], [0.47, 0.23], [0.47, 0.31], [0.22, 0.32]] },
  {
    id: "temple",
    levelUa: 150,
    freqHz: 3,
    polygon: [[0.1, 0.26], [0.2, 0.23], [0.22, 0.32], [0.21, 0.43], [0.03, 0.43], [0.055, 0.33]],
  },
  {
    id: "cheek",
    levelUa: 250,
    freqHz: 3,
    polygon: [[0.03, 0.44], [0.21, 0.43], [0.38, 0.45], [0.4, 0.56], [0.36, 0.62], [0.3, 0.66], [0.1, 0.68], [
      0.03,
      0.62,
    ]],
  },
  {
    id: "nasolabial",
    levelUa: 200,
    freqHz: 3,
    polygon: [[0.4, 0.56], [0.435, 0.6], [0.4, 0.66], [0.37, 0.71], [0.34, 0.74], [0.3, 0.66], [0.36, 0.62]],
  },
  {
    id: "jawline",
    levelUa: 300,
    freqHz: 3,
    polygon: [
      ...[58, 172, 136, 150, 149, 176].map(at).map(widen),
      [0.395, 0.86],
      [0.39, 0.8],
      [0.34, 0.74],
      [0.3, 0.66],
      [0.1, 0.68],
      [0.05, 0.66],
    ],
  },
  {
    id: "neck",
    levelUa: 150,
    freqHz: 3,
    polygon: [[0.2, jawAt(0.2)], [0.266, jawAt(0.266)], [0.5 - NECK_HALF, jawAt(0.5 - NECK_HALF)], [
      0.5 - NECK_HALF,
      1.3,
    ], [0.22, 1.3]],
  },
];

const zones = [
  { id: "eye-left", kind: "keep-out", marginMm: 12, polygon: r(eyeLeft) },
  { id: "eye-right", kind: "keep-out", marginMm: 12, polygon: r(eyeRight) },
  { id: "lips", kind: "keep-out", marginMm: 6, polygon: r(lips) },
  { id: "neck-front", kind: "keep-out", marginMm: 2, polygon: r(frontNeck) },
  {
    id: "forehead",
    kind: "treatment",
    levelUa: 200,
    freqHz: 3,
    polygon: [[0.24, 0.16], [0.4, 0.125], [0.6, 0.125], [0.76, 0.16], [0.8, 0.23], [0.2, 0.23]],
  },
  ...leftTreatment.flatMap((z) => [
    { id: `${z.id}-left`, kind: "treatment", levelUa: z.levelUa, freqHz: z.freqHz, polygon: r(z.polygon) },
    {
      id: `${z.id}-right`,
      kind: "treatment",
      levelUa: z.levelUa,
      freqHz: z.freqHz,
      polygon: mirror(r(z.polygon)),
    },
  ]),
  {
    id: "chin",
    kind: "treatment",
    levelUa: 250,
    freqHz: 3,
    polygon: r([[0.395, 0.8], [0.605, 0.8], [0.625, 0.924], at(377), at(152), at(148), [0.375, 0.924]]),
  },
];

const out = {
  about: "Glidepath zone map over the canonical face-mesh UV (DESIGN §2). Built by tools/build_zones.ts. " +
    "'-left' means u < 0.5 (the subject's right side, on the left of an un-mirrored camera image). " +
    "Levels are product defaults, not medical advice. Margins: design minimum (eyes 10 mm, lips 5 mm) plus " +
    "2 mm and 1 mm for landmark jitter; the neck-front polygon is the 40 mm band itself, plus 2 mm above the jaw contour.",
  mmPerUv: 209,
  outline: { face: r(contour("silhouette").map(widen)), neck: r(neckOutline) },
  zones,
};
await Deno.writeTextFile("models/zones.json", JSON.stringify(out, null, 1) + "\n");
console.log(`wrote models/zones.json: ${zones.length} zones`);

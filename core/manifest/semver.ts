/** Semantic versions (semver.org 2.0) and npm-style ranges, enough for plugin apiVersion checks. */

/** A parsed semantic version. */
export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  /** Pre-release identifiers, e.g. ["beta", 2] for "-beta.2"; empty for a release. */
  prerelease: (string | number)[];
}

const NUM = "0|[1-9]\\d*";
const PRE_ID = "(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)";
const VERSION_RE = new RegExp(
  `^(${NUM})\\.(${NUM})\\.(${NUM})(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?$`,
);

/** Parses "1.2.3", "1.2.3-beta.1+build"; returns null when the text is not a semantic version. */
export function parseSemVer(text: string): SemVer | null {
  const m = VERSION_RE.exec(text);
  if (!m) return null;
  const major = Number(m[1]), minor = Number(m[2]), patch = Number(m[3]);
  if (![major, minor, patch].every(Number.isSafeInteger)) return null;
  const prerelease = m[4] ? m[4].split(".").map((id) => (/^\d+$/.test(id) ? Number(id) : id)) : [];
  return { major, minor, patch, prerelease };
}

/** True when text is a valid semantic version. */
export function isSemVer(text: string): boolean {
  return parseSemVer(text) !== null;
}

/** Orders two versions by semver precedence: negative, zero or positive. */
export function compareSemVer(a: SemVer, b: SemVer): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return Math.sign(core);
  // A release ranks above its pre-releases.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return Math.sign(b.prerelease.length - a.prerelease.length);
  }
  const n = Math.max(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < n; i++) {
    const x = a.prerelease[i], y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return Math.sign(x - y);
    if (typeof x === "number") return -1;
    if (typeof y === "number") return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

type Op = "<" | "<=" | ">" | ">=" | "=";
interface Comparator {
  op: Op;
  version: SemVer;
}

/** A parsed range: OR of AND-sets of comparators. */
export interface SemVerRange {
  source: string;
  sets: Comparator[][];
}

const PARTIAL_RE =
  /^v?(\*|x|X|0|[1-9]\d*)(?:\.(\*|x|X|0|[1-9]\d*)(?:\.(\*|x|X|0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?)?)?$/;

interface Partial {
  parts: (number | null)[]; // null = wildcard or missing
  prerelease: (string | number)[];
}

function parsePartial(text: string, range: string): Partial {
  const m = PARTIAL_RE.exec(text);
  if (!m) throw new TypeError(`Invalid semver range "${range}": cannot read "${text}"`);
  const part = (s: string | undefined) => (s === undefined || /^[*xX]$/.test(s) ? null : Number(s));
  const parts = [part(m[1]), part(m[2]), part(m[3])];
  // "1.x.3" means 1.x: everything after a wildcard is a wildcard.
  const firstWild = parts.indexOf(null);
  if (firstWild >= 0) parts.fill(null, firstWild);
  const prerelease = m[4] ? m[4].split(".").map((id) => (/^\d+$/.test(id) ? Number(id) : id)) : [];
  return { parts, prerelease };
}

const v = (major: number, minor: number, patch: number, prerelease: (string | number)[] = []): SemVer => ({
  major,
  minor,
  patch,
  prerelease,
});

function expand(token: string, range: string): Comparator[] {
  const m = /^(\^|~>?|>=|<=|>|<|=)?(.*)$/.exec(token)!;
  const op = m[1] ?? "";
  const { parts, prerelease } = parsePartial(m[2]!, range);
  const ma = parts[0] ?? null, mi = parts[1] ?? null, pa = parts[2] ?? null;
  if (ma === null) {
    return op === "<" || op === ">" ? [{ op: "<", version: v(0, 0, 0, [0]) }] : [];
  }
  const lo = v(ma, mi ?? 0, pa ?? 0, prerelease);
  switch (op) {
    case "^": {
      const hi = ma > 0 || mi === null
        ? v(ma + 1, 0, 0, [0])
        : mi > 0 || pa === null
        ? v(0, mi + 1, 0, [0])
        : v(0, 0, pa + 1, [0]);
      return [{ op: ">=", version: lo }, { op: "<", version: hi }];
    }
    case "~":
    case "~>": {
      const hi = mi === null ? v(ma + 1, 0, 0, [0]) : v(ma, mi + 1, 0, [0]);
      return [{ op: ">=", version: lo }, { op: "<", version: hi }];
    }
    case ">":
      if (mi === null) return [{ op: ">=", version: v(ma + 1, 0, 0, [0]) }];
      if (pa === null) return [{ op: ">=", version: v(ma, mi + 1, 0, [0]) }];
      return [{ op: ">", version: lo }];
    case "<=":
      if (mi === null) return [{ op: "<", version: v(ma + 1, 0, 0, [0]) }];
      if (pa === null) return [{ op: "<", version: v(ma, mi + 1, 0, [0]) }];
      return [{ op: "<=", version: lo }];
    case ">=":
    case "<":
      return [{ op, version: lo }];
    default: {
      if (mi === null) return [{ op: ">=", version: lo }, { op: "<", version: v(ma + 1, 0, 0, [0]) }];
      if (pa === null) return [{ op: ">=", version: lo }, { op: "<", version: v(ma, mi + 1, 0, [0]) }];
      return [{ op: "=", version: lo }];
    }
  }
}

/** Parses an npm-style range ("^1.2.0", "~1.2", ">=1.0.0 <2.0.0", "1.x || 2.x", "1.0.0 - 1.4.0", "*"). */
export function parseRange(text: string): SemVerRange {
  if (typeof text !== "string" || text.trim() === "") {
    throw new TypeError(`Invalid semver range ${JSON.stringify(text)}: empty`);
  }
  const sets = text.split("||").map((alt) => {
    const trimmed = alt.trim().replace(/(\^|~>?|>=|<=|>|<|=)\s+/g, "$1");
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(trimmed);
    if (hyphen) return [...expand(`>=${hyphen[1]}`, text), ...expand(`<=${hyphen[2]}`, text)];
    if (trimmed === "") return [];
    return trimmed.split(/\s+/).flatMap((token) => expand(token, text));
  });
  return { source: text, sets };
}

function test(c: Comparator, ver: SemVer): boolean {
  const d = compareSemVer(ver, c.version);
  switch (c.op) {
    case "<":
      return d < 0;
    case "<=":
      return d <= 0;
    case ">":
      return d > 0;
    case ">=":
      return d >= 0;
    case "=":
      return d === 0;
  }
}

/**
 * True when version satisfies range. As in npm, a pre-release version only matches a set
 * that names a pre-release of the same major.minor.patch.
 */
export function satisfies(version: string | SemVer, range: string | SemVerRange): boolean {
  const ver = typeof version === "string" ? parseSemVer(version) : version;
  if (!ver) throw new TypeError(`Invalid semantic version ${JSON.stringify(version)}`);
  const r = typeof range === "string" ? parseRange(range) : range;
  return r.sets.some((set) => {
    if (!set.every((c) => test(c, ver))) return false;
    if (ver.prerelease.length === 0) return true;
    return set.some((c) =>
      c.version.prerelease.length > 0 && c.version.prerelease[0] !== 0 &&
      c.version.major === ver.major && c.version.minor === ver.minor && c.version.patch === ver.patch
    );
  });
}

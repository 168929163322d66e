/**
 * Staff passwords as PBKDF2-SHA-256 verifiers (WebCrypto): a per-user random salt and a high iteration count, so a
 * copied staff table costs an attacker that much work per guess; comparisons take the same time for any input.
 */

/** Iterations for new verifiers (OWASP's 2023 figure for PBKDF2-HMAC-SHA-256). */
export const PBKDF2_ITERATIONS = 600_000;
/** Verifiers with fewer iterations than this are refused (a tampered or truncated row). */
const MIN_ITERATIONS = 100_000;
/** Shortest password a staff account may have. */
export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 1024;

const encoder = new TextEncoder();

function b64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromB64url(text: string): Uint8Array {
  const b = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(b, (c) => c.charCodeAt(0));
}

/** Compares two byte strings in time that depends on their lengths only. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** Compares two strings (tokens) in time that depends on their lengths only. */
export function constantTimeEqualText(a: string, b: string): boolean {
  return constantTimeEqual(encoder.encode(a), encoder.encode(b));
}

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: salt as BufferSource, iterations },
    key,
    256,
  );
  return new Uint8Array(bits);
}

/** Throws a TypeError unless `password` is a string of 12..1024 characters (the message never shows it). */
export function checkPassword(password: unknown): asserts password is string {
  if (typeof password !== "string" || password.length < MIN_PASSWORD_LENGTH) {
    throw new TypeError(`Cannot set the password: it must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new TypeError(`Cannot set the password: it must have at most ${MAX_PASSWORD_LENGTH} characters`);
  }
}

/** A new verifier for `password`: "pbkdf2-sha256$<iterations>$<salt>$<hash>" (base64url). */
export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  checkPassword(password);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return `pbkdf2-sha256$${iterations}$${b64url(salt)}$${b64url(await derive(password, salt, iterations))}`;
}

// Checked against when the login does not exist, so an unknown login takes as long as a wrong password.
const DUMMY = `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${"A".repeat(22)}$${"A".repeat(43)}`;

/**
 * Whether `password` matches `verifier` (null: no such account, checked against a dummy so the time is the same).
 * A malformed verifier matches nothing.
 */
export async function verifyPassword(password: string, verifier: string | null): Promise<boolean> {
  const parts = (verifier ?? DUMMY).split("$");
  const iterations = Number(parts[1]);
  if (
    parts.length !== 4 || parts[0] !== "pbkdf2-sha256" || !Number.isSafeInteger(iterations) ||
    iterations < MIN_ITERATIONS || iterations > 10_000_000 || password.length > MAX_PASSWORD_LENGTH
  ) {
    return false;
  }
  let salt: Uint8Array, expected: Uint8Array;
  try {
    salt = fromB64url(parts[2]!);
    expected = fromB64url(parts[3]!);
  } catch {
    return false;
  }
  const got = await derive(password, salt, iterations);
  return constantTimeEqual(got, expected) && verifier !== null;
}

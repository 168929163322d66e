/** The page's side of the dashboard API: who is signed in, JSON fetches that carry the CSRF token, and the errors. */
import { signal } from "@preact/signals";

/** The signed-in staff member, or null (the sign-in form shows). */
export interface Me {
  login: string;
  /** null: chain staff. */
  salon: string | null;
  csrf: string;
}

/** Who is signed in; undefined while the page has not asked yet. */
export const me = signal<Me | null | undefined>(undefined);

/** Thrown for an answer that is not 2xx; `message` is the server's own words. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * GETs or POSTs JSON; a 401 means the session ended, and the sign-in form shows again. `poll`: a timed refresh,
 * which does not count as activity (the session still ends after 30 idle minutes).
 */
export async function api<T>(path: string, body?: unknown, poll = false): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (poll) headers["x-poll"] = "1";
  if (body !== undefined) {
    headers["content-type"] = "application/json";
    if (me.value) headers["x-csrf-token"] = me.value.csrf;
  }
  const res = await fetch(path, {
    method: body === undefined ? "GET" : "POST",
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  const json = await res.json().catch(() => ({}));
  if (res.status === 401 && path !== "/api/login") me.value = null;
  if (!res.ok) throw new ApiError(res.status, String(json.error ?? `HTTP ${res.status}`));
  return json as T;
}

/** Asks who is signed in (at start). */
export async function loadMe(): Promise<void> {
  try {
    me.value = await api<Me>("/api/me");
  } catch {
    me.value = null;
  }
}

/** Signs in; throws ApiError with the server's words. */
export async function signIn(login: string, password: string): Promise<void> {
  me.value = await api<Me>("/api/login", { login, password });
}

/** Signs out. */
export async function signOut(): Promise<void> {
  await api("/api/logout", {}).catch(() => {});
  me.value = null;
}

/** How the dashboard writes times, durations and ages (the browser's own time zone and language). */

/** "14:05" from an ISO time. */
export function clock(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** "3 Dec, 14:05:09" from an ISO time. */
export function stamp(iso: string): string {
  return new Date(iso).toLocaleString([], {
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
}

/** "12 min 5 s" from milliseconds. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** "4 s ago", "3 min ago", "never" from an age in ms. */
export function ago(ms: number | null): string {
  if (ms === null) return "never";
  return `${duration(ms)} ago`;
}

/** The browser's today: [local midnight, next local midnight) as ISO times. */
export function today(now = new Date()): { from: string; to: string } {
  const from = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const to = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  return { from: from.toISOString(), to: to.toISOString() };
}

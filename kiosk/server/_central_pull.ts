/**
 * The profile desk's central pull (private to kiosk/server): after a salon client code was answered, the client's
 * history at the salon's other stations is read from the central store, checked and cached; a walk-in new to this
 * station takes the salon copies' exclusions, lowest ceiling and language (they can only lower output).
 */
import type { ProfileRecord, Store } from "../store/mod.ts";
import { adoptCentral, checkCentralHistory } from "../central/history.ts";

/** Options for createCentralPull. */
export interface CentralPullOptions {
  /** The central read by client code (the replicator's clientHistory). */
  read: (code: string) => Promise<unknown>;
  /** A read not answered in this long is given up (the cached copy stays), ms. */
  timeoutMs: number;
  wallClock: () => number;
  log: (line: string) => void;
}

/** The pulls of one desk. */
export interface CentralPull {
  /**
   * Pulls `code`'s central history into `profileId`'s cache; with `isNew`, adopts the salon's settings. Resolves
   * with the profile when its settings changed, else null; never rejects (a failure is logged, the cache stays).
   */
  pull(code: string, profileId: string, isNew: boolean): Promise<ProfileRecord | null>;
  /** Whether `profileId` is new here and its salon settings are still on their way (its start must wait). */
  adopting(profileId: string): boolean;
}

/** Creates the pulls over `store`. */
export function createCentralPull(store: Store, options: CentralPullOptions): CentralPull {
  const { read, timeoutMs, wallClock: wall, log } = options;
  const adopting = new Set<string>();
  // One central read per code at a time: a code entered again (or on two sockets) waits for the same answer.
  const inFlight = new Map<string, Promise<unknown>>();
  function asking(code: string): Promise<unknown> {
    let p = inFlight.get(code);
    if (!p) {
      p = Promise.resolve(read(code)).finally(() => inFlight.delete(code));
      inFlight.set(code, p);
    }
    return p;
  }

  async function pull(code: string, profileId: string, isNew: boolean): Promise<ProfileRecord | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const answer = await Promise.race([
        asking(code),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      const checked = checkCentralHistory(answer);
      for (const line of checked.dropped) log(`central history: ${line}`);
      store.saveCentralHistory(profileId, {
        pulledAt: wall(),
        stationId: checked.stationId,
        sessions: checked.sessions,
      });
      const copies = checked.profiles.filter((c) => c.id !== profileId);
      const current = store.profiles.get(profileId);
      if (!isNew || copies.length === 0 || !current) return null;
      const zones = store.profiles.treatmentZones;
      // A zone another station skips that this station's map lacks cannot be targeted here; said, so that a
      // zone-map mismatch between a salon's stations shows in the log.
      const unknown = [...new Set(copies.flatMap((c) => c.exclusions))].filter((z) => !zones.has(z));
      if (unknown.length > 0) {
        log(
          `central history: client ${code}: exclusions left out (not a treatment zone on this station's map): ${
            unknown.join(", ")
          }`,
        );
      }
      return store.profiles.update(profileId, adoptCentral(current, copies, zones));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      log(`central history: client ${code} not pulled (${reason}); the cached copy stays`);
      return null;
    } finally {
      clearTimeout(timer);
      adopting.delete(profileId);
    }
  }

  return {
    pull(code, profileId, isNew) {
      if (isNew) adopting.add(profileId);
      return pull(code, profileId, isNew);
    },
    adopting: (profileId) => adopting.has(profileId),
  };
}

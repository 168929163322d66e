/** The store's profiles (schema v3): create/list/get/update/soft-delete, every field checked, names unique per kind. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { DatabaseSync } from "node:sqlite";
import { FieldError } from "../../core/engine/mod.ts";
import { openStore, type ProfileInput } from "../../kiosk/store/mod.ts";

const tmp = () => Deno.makeTempDirSync({ prefix: "gp-profiles-" });
const ANA: ProfileInput = { id: "p1", kind: "home", name: "  Ana  ", language: "es", createdAt: 1000 };

function refused(fn: () => unknown, field: string) {
  try {
    fn();
  } catch (error) {
    assert.instance(error, FieldError, String(error));
    assert.is((error as FieldError).field, field, (error as Error).message);
    assert.match((error as Error).message, `field "${field}"`);
    return;
  }
  assert.unreachable(`refused naming ${field}`);
}

test("a profile is created trimmed with defaults, listed by name per kind, read back after a reopen", () => {
  const dir = tmp();
  const a = openStore(dir);
  const ana = a.profiles.create(ANA);
  assert.equal(ana, {
    id: "p1",
    kind: "home",
    name: "Ana",
    language: "es",
    exclusions: [],
    maxComfort: null,
    onboardedAt: null,
    createdAt: 1000,
    deletedAt: null,
  });
  a.profiles.create({ id: "p2", kind: "home", name: "ben", language: "en", createdAt: 1001 });
  a.profiles.create({ id: "w1", kind: "walk-in", name: "K7Q2", language: "en", createdAt: 1002 });
  a.dispose();
  const b = openStore(dir);
  assert.equal(b.profiles.list("home").map((p) => p.name), ["Ana", "ben"]);
  assert.equal(b.profiles.list("walk-in").map((p) => p.id), ["w1"]);
  assert.is(b.profiles.findByName("walk-in", "K7Q2")?.id, "w1");
  assert.is(b.profiles.findByName("home", "K7Q2"), null);
  b.dispose();
});

test("updates change only the given fields; exclusions and the ceiling round-trip; onboarded is a time", () => {
  const s = openStore(tmp());
  s.profiles.create(ANA);
  const updated = s.profiles.update("p1", { exclusions: ["jawline-left", "jawline-right"], maxComfort: 4 });
  assert.equal(updated.exclusions, ["jawline-left", "jawline-right"]);
  assert.is(updated.maxComfort, 4);
  assert.is(updated.language, "es");
  const onboarded = s.profiles.update("p1", { onboardedAt: 5000, language: "en" });
  assert.equal([onboarded.onboardedAt, onboarded.language, onboarded.maxComfort], [5000, "en", 4]);
  assert.is(s.profiles.update("p1", { maxComfort: null }).maxComfort, null);
  s.dispose();
});

test("every bad field is refused naming it, and the stored profile is unchanged", () => {
  const s = openStore(tmp());
  s.profiles.create(ANA);
  const create = (over: Partial<ProfileInput>) => () =>
    s.profiles.create({ ...ANA, id: "p9", name: "Cy", ...over });
  refused(create({ name: "   " }), "name");
  refused(create({ name: "x".repeat(41) }), "name");
  refused(create({ name: "a\nb" }), "name");
  refused(create({ name: 7 as unknown as string }), "name");
  refused(create({ name: "ana" }), "name"); // taken, whatever the case
  refused(create({ language: "fr" as "en" }), "language");
  refused(create({ exclusions: ["eye-left"] }), "exclusions[0]");
  refused(create({ exclusions: ["chin", "nose"] }), "exclusions[1]");
  refused(create({ exclusions: ["chin", "chin"] }), "exclusions[1]");
  refused(create({ exclusions: "chin" as unknown as string[] }), "exclusions");
  refused(create({ maxComfort: 0 }), "maxComfort");
  refused(create({ maxComfort: 11 }), "maxComfort");
  refused(create({ maxComfort: 2.5 }), "maxComfort");
  refused(create({ kind: "guest" as "home" }), "kind");
  refused(create({ id: "a b" }), "id");
  refused(() => s.profiles.update("p1", { exclusions: ["lips"] }), "exclusions[0]");
  refused(() => s.profiles.update("p1", { name: "" }), "name");
  refused(() => s.profiles.update("nobody", { language: "en" }), "id");
  assert.equal(s.profiles.get("p1")!.exclusions, []);
  assert.is(s.profiles.get("p1")!.name, "Ana");
  assert.equal(s.profiles.list("home").map((p) => p.id), ["p1"]);
  // A name of 40 characters, counted as characters (not UTF-16 units), is fine.
  assert.is(s.profiles.create({ ...ANA, id: "p3", name: "é".repeat(20) + "😀".repeat(20) }).name.length, 60);
  s.dispose();
});

test("the same name may exist once per kind; a soft-deleted profile frees its name and keeps its sessions", () => {
  const s = openStore(tmp());
  s.profiles.create(ANA);
  s.profiles.create({ ...ANA, id: "w1", kind: "walk-in" });
  s.startSession({ id: "s1", routine: "free", startedAt: 2000, profileId: "p1" });
  assert.is(s.profiles.remove("p1", 3000), true);
  assert.is(s.profiles.remove("p1", 3001), false, "already deleted");
  assert.is(s.profiles.get("p1"), null);
  assert.equal(s.profiles.list("home"), []);
  assert.is(s.session("s1")!.profileId, "p1", "the session keeps whose it was");
  assert.is(s.profiles.create({ ...ANA, id: "p2" }).name, "Ana");
  s.dispose();
});

test("a session's profile must exist; a screening may be marked reused from an earlier session", () => {
  const s = openStore(tmp());
  s.profiles.create(ANA);
  assert.throws(() => s.startSession({ id: "s0", routine: "free", startedAt: 1, profileId: "ghost" }));
  s.startSession({ id: "s1", routine: "free", startedAt: 1, profileId: "p1" });
  s.startSession({ id: "s2", routine: "free", startedAt: 2, profileId: "p1" });
  const screening = { recordedAt: 2, answers: { pregnancy: false }, contraindicated: false, consent: true };
  s.recordScreening({ ...screening, sessionId: "s1", consentBy: null });
  s.recordScreening({ ...screening, sessionId: "s2", consentBy: null, reusedFrom: "s1" });
  assert.is(s.screenings("s1")[0]!.reusedFrom, null);
  assert.is(s.screenings("s2")[0]!.reusedFrom, "s1");
  assert.is(s.session("s2")!.profileId, "p1");
  s.dispose();
});

test("a stored row whose exclusions cannot be read is refused, never returned without them", () => {
  const dir = tmp();
  const s = openStore(dir);
  s.profiles.create({ ...ANA, exclusions: ["chin"] });
  const db = new DatabaseSync(s.path);
  db.exec(`UPDATE profiles SET exclusions = '{"chin":1}' WHERE id = 'p1'`);
  db.close();
  assert.throws(() => s.profiles.get("p1"), /exclusions/);
  s.dispose();
});

test("a failed profile write throws, leaves earlier records and profiles intact, and says so in health", () => {
  const s = openStore(tmp());
  s.profiles.create(ANA);
  s.startSession({ id: "s1", routine: "free", startedAt: 1, profileId: "p1" });
  // Another writer holds the database: the store does not wait, the write fails at once.
  const other = new DatabaseSync(s.path);
  other.exec("BEGIN IMMEDIATE");
  assert.throws(() => s.profiles.create({ ...ANA, id: "p2", name: "Ben" }), /locked|busy/i);
  assert.throws(() => s.profiles.update("p1", { maxComfort: 3 }), /locked|busy/i);
  assert.is(s.health.state, "failing");
  other.exec("ROLLBACK");
  other.close();
  assert.equal([s.profiles.get("p1")!.name, s.profiles.get("p1")!.maxComfort], ["Ana", null]);
  assert.is(s.session("s1")!.profileId, "p1");
  assert.is(s.profiles.get("p2"), null);
  s.dispose();
});

test("any name the store accepts reads back trimmed and unique; any it refuses names the field", () => {
  const s = openStore(tmp());
  let n = 0;
  fc.assert(
    fc.property(fc.string({ maxLength: 50 }), (name) => {
      const id = `q${n++}`;
      try {
        const p = s.profiles.create({ id, kind: "home", name, language: "en", createdAt: 1 });
        assert.is(p.name, name.trim());
        assert.ok([...p.name].length >= 1 && [...p.name].length <= 40);
      } catch (error) {
        assert.instance(error, FieldError);
        assert.is((error as FieldError).field, "name");
      }
    }),
    { numRuns: 300, seed: 11 },
  );
  const names = s.profiles.list("home").map((p) => p.name.toLowerCase());
  assert.is(new Set(names).size, names.length, "no two profiles share a name");
  s.dispose();
});

test.run();

/** The page's profile module without a browser: what the kiosk's answers do to the signals, what is sent again on a new socket, the catalogue. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import zonesJson from "../../models/zones.json" with { type: "json" };
import { language } from "../../kiosk/ui/i18n.ts";
import { PROFILES, SKIPPABLE_ZONES, ZONE_ROWS } from "../../kiosk/ui/i18n/profiles.ts";
import {
  connectProfileSender,
  currentProfile,
  currentVisit,
  leaveProfile,
  profileError,
  profileList,
  profileSocketOpened,
  readProfile,
  receiveProfileMessage,
  startProfileFields,
  updateProfile,
} from "../../kiosk/ui/profile.ts";
import { profileErrorText } from "../../kiosk/ui/ProfilesScreen.tsx";
import { mirrorPrompts } from "../../kiosk/ui/mirror/prompts.ts";
import { engineFrame } from "../core/_engine_helpers.ts";

const ANA = {
  id: "p1",
  kind: "home",
  name: "Ana",
  language: "es",
  exclusions: ["chin"],
  maxComfort: 4,
  onboarded: false,
};
const sent: Record<string, unknown>[] = [];
connectProfileSender((m) => (sent.push(m), true));

test("the settings list offers exactly the engine's treatment zones, each with a name in both languages", () => {
  const treatment = zonesJson.zones.filter((z) => z.kind === "treatment").map((z) => z.id).sort();
  assert.equal([...SKIPPABLE_ZONES].sort(), treatment);
  assert.equal(ZONE_ROWS.flat().sort(), treatment, "the settings show each zone once");
  for (const key of Object.keys(PROFILES.en) as (keyof typeof PROFILES.en)[]) {
    assert.ok(PROFILES.es[key], `Spanish for ${key}`);
  }
});

test("a profile answer selects the person and sets the language; leaving forgets them and speaks English", () => {
  assert.ok(receiveProfileMessage({ type: "profile", profile: ANA }));
  assert.equal(currentProfile.value, ANA);
  assert.is(language.value, "es");
  assert.equal(startProfileFields(), { profileId: "p1" });
  sent.length = 0;
  updateProfile({ maxComfort: 3 });
  assert.equal(sent, [{ type: "profile-update", id: "p1", maxComfort: 3 }]);
  leaveProfile();
  assert.equal(sent.at(-1), { type: "profile-leave" });
  assert.equal([currentProfile.value, language.value], [null, "en"]);
  assert.equal(startProfileFields(), { profileId: null });
  receiveProfileMessage({ type: "profile", profile: ANA });
  receiveProfileMessage({ type: "profile", profile: null });
  assert.is(currentProfile.value, null, "a null profile from the kiosk clears it too");
});

test("a new socket is told who is here again: the home profile by id, the walk-in by its code", () => {
  receiveProfileMessage({ type: "profile", profile: ANA });
  sent.length = 0;
  profileSocketOpened();
  assert.equal(sent, [{ type: "profile-select", id: "p1" }]);
  receiveProfileMessage({
    type: "profile",
    profile: { ...ANA, id: "w1", kind: "walk-in", name: "K7Q2" },
    visit: { id: "v1", screened: true, startedAt: 5 },
  });
  assert.equal(currentVisit.value, { id: "v1", screened: true, startedAt: 5 });
  sent.length = 0;
  profileSocketOpened();
  assert.equal(sent, [{ type: "client-code", code: "K7Q2" }]);
  leaveProfile();
  sent.length = 0;
  profileSocketOpened();
  assert.equal(sent, [], "after leaving, nothing is selected again");
});

test("refusals: a profile error is kept for the screen; one saying the selection is gone forgets it", () => {
  receiveProfileMessage({ type: "profile", profile: ANA });
  assert.ok(
    receiveProfileMessage({ type: "error", of: "profile-update", field: "store", message: "locked" }),
  );
  assert.equal(profileError.value, { of: "profile-update", field: "store", message: "locked" });
  assert.equal(currentProfile.value?.id, "p1", "a failed write keeps the person");
  assert.not.ok(receiveProfileMessage({ type: "error", of: "start", field: "profileId", message: "x" }));
  assert.is(currentProfile.value, null, "the kiosk holds no profile for this socket: neither does the page");
  assert.not.ok(receiveProfileMessage({ type: "error", of: "comfort", field: "level", message: "x" }));
});

test("a screened visit the kiosk no longer has is screened again", () => {
  receiveProfileMessage({
    type: "profile",
    profile: { ...ANA, kind: "walk-in" },
    visit: { id: "v1", screened: true, startedAt: 5 },
  });
  receiveProfileMessage({ type: "error", of: "start", field: "screening", message: "required" });
  assert.is(currentVisit.value?.screened, false);
  leaveProfile();
});

test("the home list replaces the old one; a selected person no longer listed is forgotten", () => {
  receiveProfileMessage({ type: "profile", profile: ANA });
  receiveProfileMessage({ type: "profiles", profiles: [{ ...ANA, id: "p2", name: "Ben" }, { bogus: 1 }] });
  assert.equal(profileList.value.map((p) => p.name), ["Ben"]);
  assert.is(currentProfile.value, null);
});

test("readProfile refuses what is not a profile; an unknown language reads as English", () => {
  assert.is(readProfile(null), null);
  assert.is(readProfile({ id: "x" }), null);
  assert.is(readProfile({ ...ANA, exclusions: "chin" }), null);
  assert.is(readProfile({ ...ANA, language: "fr" })?.language, "en");
});

test("refusals in the person's words, by the field the kiosk names", () => {
  language.value = "en";
  const of = "profile-create";
  assert.match(profileErrorText({ of, field: "store", message: "" })!, /could not be saved/);
  assert.match(
    profileErrorText({ of, field: "name", message: 'field "name" "Ana" is already taken' })!,
    /already used/,
  );
  assert.match(profileErrorText({ of, field: "name", message: "must be 1 to 40" })!, /1 to 40/);
  assert.match(profileErrorText({ of: "client-code", field: "code", message: "" })!, /4 to 8/);
  assert.is(profileErrorText(null), null);
});

test("the mirror says a skipped zone is the person's own choice, with output off", () => {
  const prompts = mirrorPrompts({ notice: null, frame: engineFrame({ limit: "excluded:jawline-left" }) });
  assert.equal(prompts.map((p) => p.level), ["warn"]);
  assert.match(prompts[0]!.text, /skip this area \(.+\).*Output is off/);
});

test.run();

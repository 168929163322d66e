/** The message rules per role as a table: one row per message type × role, checked pure and through the hub. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  createOperatorAuth,
  createWsHub,
  type HubSocket,
  isAcked,
  MESSAGE_RULES,
  PAGE_MESSAGE_TYPES,
  roleRefusal,
  type SocketRole,
  typeRefusal,
} from "../../kiosk/server/mod.ts";
import { CHEEK, fakeRunner, NO } from "./_fixtures.ts";

const PROBE = { type: "probe", points: [CHEEK], confidence: 0.9 };
const START = { type: "start", routine: "free", comfort: 5, screening: NO, consent: true };

/** A valid page message of each type (what the page, or a forged page, would send). */
const SAMPLE: Record<string, Record<string, unknown>> = {
  probe: PROBE,
  estop: { type: "estop" },
  comfort: { type: "comfort", level: 5 },
  start: START,
  end: { type: "end" },
  reset: { type: "reset" },
  pause: { type: "pause" },
  resume: { type: "resume" },
  cap: { type: "cap", operatorCapUa: 100 },
  contact: { type: "contact", on: true },
  device: { type: "device", maxCurrentUa: 500, netDc: false },
  fault: { type: "fault", source: "page", reason: "forged" },
};

/** What happens to a message: "ack", "accepted" (applied, no ack) or "refused <field>". */
type Outcome = "ack" | "accepted" | `refused ${string}`;

interface Row {
  role: SocketRole;
  message: Record<string, unknown>;
  expected: Outcome;
  demoAllowed?: boolean;
}

const ROWS: Row[] = [
  { role: "user", message: SAMPLE.probe!, expected: "accepted" },
  { role: "operator", message: SAMPLE.probe!, expected: "accepted" },
  { role: "user", message: SAMPLE.estop!, expected: "ack" },
  { role: "operator", message: SAMPLE.estop!, expected: "ack" },
  { role: "user", message: SAMPLE.comfort!, expected: "ack" },
  { role: "operator", message: SAMPLE.comfort!, expected: "ack" },
  { role: "user", message: SAMPLE.start!, expected: "ack" },
  { role: "operator", message: SAMPLE.start!, expected: "ack" },
  { role: "user", message: SAMPLE.end!, expected: "ack" },
  { role: "operator", message: SAMPLE.end!, expected: "ack" },
  { role: "user", message: SAMPLE.reset!, expected: "refused type" },
  { role: "operator", message: SAMPLE.reset!, expected: "ack" },
  { role: "user", message: SAMPLE.pause!, expected: "ack" },
  { role: "operator", message: SAMPLE.pause!, expected: "ack" },
  { role: "user", message: SAMPLE.resume!, expected: "ack" },
  { role: "operator", message: SAMPLE.resume!, expected: "ack" },
  { role: "user", message: SAMPLE.cap!, expected: "refused type" },
  { role: "operator", message: SAMPLE.cap!, expected: "ack" },
  { role: "user", message: SAMPLE.contact!, expected: "refused type" },
  { role: "operator", message: SAMPLE.contact!, expected: "refused type" },
  { role: "user", message: SAMPLE.device!, expected: "refused type" },
  { role: "operator", message: SAMPLE.device!, expected: "refused type" },
  { role: "user", message: SAMPLE.fault!, expected: "refused type" },
  { role: "operator", message: SAMPLE.fault!, expected: "refused type" },
  // A start's operator settings (net-DC, rule 9; the operator cap, rule 1).
  { role: "user", message: { ...START, netDc: true }, expected: "refused netDc" },
  { role: "operator", message: { ...START, netDc: true }, expected: "ack" },
  { role: "user", message: { ...START, netDc: false }, expected: "ack" },
  { role: "user", message: { ...START, operatorCapUa: 400 }, expected: "refused operatorCapUa" },
  { role: "operator", message: { ...START, operatorCapUa: 400 }, expected: "ack" },
  // Demo observations: only with a simulated device, whatever the role.
  { role: "user", message: { ...PROBE, source: "demo" }, expected: "refused source" },
  { role: "operator", message: { ...PROBE, source: "demo" }, expected: "refused source" },
  { role: "user", message: { ...PROBE, source: "demo" }, expected: "accepted", demoAllowed: true },
  { role: "user", message: { ...PROBE, source: "camera" }, expected: "accepted" },
  // A type nobody knows.
  { role: "user", message: { type: "warp" }, expected: "refused type" },
  { role: "operator", message: { type: "warp" }, expected: "refused type" },
];

const label = (row: Row) =>
  `${row.role} sends ${JSON.stringify({ ...row.message, screening: undefined, points: undefined })}${
    row.demoAllowed ? " (demo allowed)" : ""
  }`;

/** The rules alone: the type check, then the role check, then whether the hub acks. */
function ruled(row: Row): Outcome {
  const type = row.message.type;
  const source = row.message.source as "camera" | "demo" | undefined;
  const refused = typeRefusal(type) ??
    roleRefusal(row.role, { event: row.message as { type: string }, source }, {
      demoAllowed: row.demoAllowed ?? false,
    });
  if (refused) return `refused ${refused.field}`;
  return isAcked(String(type)) ? "ack" : "accepted";
}

test("the table has a row for every engine event type × role", () => {
  for (const type of Object.keys(MESSAGE_RULES)) {
    for (const role of ["user", "operator"] as const) {
      assert.ok(ROWS.some((r) => r.role === role && r.message === SAMPLE[type]), `${type} × ${role}`);
    }
  }
  assert.equal(PAGE_MESSAGE_TYPES, [
    "probe",
    "estop",
    "comfort",
    "start",
    "end",
    "reset",
    "pause",
    "resume",
    "cap",
  ]);
});

for (const row of ROWS) {
  test(`rules: ${label(row)} → ${row.expected}`, () => {
    assert.is(ruled(row), row.expected);
  });
}

function fakeSocket() {
  const sent: Record<string, unknown>[] = [];
  const socket: HubSocket = { send: (text) => void sent.push(JSON.parse(text)), close() {} };
  return { socket, sent };
}

/** What the hub does with the row's message from a socket of the row's role, on a fresh runner. */
function throughHub(row: Row): { outcome: Outcome | "silent"; applied: string[] } {
  const { runner } = fakeRunner();
  const hub = createWsHub(runner, {
    operatorAuth: createOperatorAuth("482916"),
    demoAllowed: row.demoAllowed ?? false,
  });
  const { socket, sent } = fakeSocket();
  hub.open(socket);
  if (row.role === "operator") hub.message(socket, JSON.stringify({ type: "operator", pin: "482916" }));
  const applied: string[] = [];
  runner.observe({ event: (e, meta) => void applied.push(`${e.type}:${meta.source}`) });
  const before = sent.length;
  hub.message(socket, JSON.stringify(row.message));
  const reply = sent.slice(before).at(-1);
  if (reply === undefined) return { outcome: applied.length > 0 ? "accepted" : "silent", applied };
  if (reply.type === "error") return { outcome: `refused ${String(reply.field)}`, applied };
  return { outcome: reply.type === "ack" ? "ack" : "silent", applied };
}

for (const row of ROWS) {
  test(`hub: ${label(row)} → ${row.expected}, applied as the socket's role or not at all`, () => {
    const { outcome, applied } = throughHub(row);
    assert.is(outcome, row.expected);
    const source = row.role === "operator" ? "operator" : "page";
    assert.equal(applied, row.expected.startsWith("refused") ? [] : [`${row.message.type}:${source}`]);
  });
}

test.run();

/** The kiosk page: the mirror, the emergency stop and a latched-stop notice (always in view), session status, chart, guidance, user controls and the PIN-locked operator panel; where each goes per screen (landscape, portrait, phone) is in app.css. */
import { Controls, EmergencyStop } from "./Controls.tsx";
import { CurrentChart } from "./CurrentChart.tsx";
import { GuidancePanel } from "./GuidancePanel.tsx";
import { LatchNotice } from "./LatchNotice.tsx";
import { MirrorArea } from "./MirrorArea.tsx";
import { OperatorPanel } from "./OperatorPanel.tsx";
import { SessionPanel } from "./SessionPanel.tsx";
import { HistoryScreen } from "./HistoryScreen.tsx";
import { SummaryScreen } from "./SummaryScreen.tsx";
import { hello } from "./state.ts";
import { type Screen, shownScreen } from "./journey.ts";
import type { ComponentType } from "preact";

/** The journey's screens other than the live session, each in its own module (journey.ts says which is shown). */
const SCREENS: Partial<Record<Screen, ComponentType>> = {
  summary: SummaryScreen,
  history: HistoryScreen,
};

/** The whole page: the screen the journey is on, or the live session. */
export function App() {
  const shown = shownScreen.value;
  const Other = shown === "session" ? undefined : SCREENS[shown];
  return Other
    ? (
      <div class="journey" data-screen={shown}>
        <Other />
      </div>
    )
    : <SessionScreen />;
}

/** The live session: the mirror, the stop, status, chart, guidance and controls. */
function SessionScreen() {
  return (
    <div class="layout" data-screen="session">
      <MirrorArea />
      <aside class="side" aria-label="status and controls">
        <div class="estop-dock">
          <EmergencyStop />
          <LatchNotice />
        </div>
        <SessionPanel />
        <section class="panel" aria-label="current over time">
          <h2>Current (µA, last 20 s)</h2>
          <CurrentChart />
        </section>
        <GuidancePanel />
        <Controls />
        <OperatorPanel />
        <small class="row version">
          Glidepath {hello.value?.version ?? ""}
        </small>
      </aside>
    </div>
  );
}

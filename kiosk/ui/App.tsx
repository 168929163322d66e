/** The kiosk page: the mirror, the emergency stop and a latched-stop notice (always in view), session status, chart, guidance, user controls and the PIN-locked operator panel; where each goes per screen (landscape, portrait, phone) is in app.css. */
import { Controls, EmergencyStop } from "./Controls.tsx";
import { CurrentChart } from "./CurrentChart.tsx";
import { GuidancePanel } from "./GuidancePanel.tsx";
import { LatchNotice } from "./LatchNotice.tsx";
import { MirrorArea } from "./MirrorArea.tsx";
import { OperatorPanel } from "./OperatorPanel.tsx";
import { SessionPanel } from "./SessionPanel.tsx";
import { hello } from "./state.ts";

/** The whole page. */
export function App() {
  return (
    <div class="layout">
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

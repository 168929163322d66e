/** The kiosk page: mirror area on the left, session status, chart, guidance and controls on the right. */
import { Controls, EmergencyStop } from "./Controls.tsx";
import { CurrentChart } from "./CurrentChart.tsx";
import { GuidancePanel } from "./GuidancePanel.tsx";
import { MirrorArea } from "./MirrorArea.tsx";
import { Mirror } from "./mirror/mod.ts";
import { SessionPanel } from "./SessionPanel.tsx";
import { hello } from "./state.ts";

/** The whole page. */
export function App() {
  return (
    <div class="layout">
      <MirrorArea>
        <Mirror />
      </MirrorArea>
      <aside class="side">
        <EmergencyStop />
        <SessionPanel />
        <section class="panel" aria-label="current over time">
          <h2>Current (µA, last 20 s)</h2>
          <CurrentChart />
        </section>
        <GuidancePanel />
        <Controls />
        <small class="row" style={{ color: "var(--dim)" }}>
          Glidepath {hello.value?.version ?? ""}
        </small>
      </aside>
    </div>
  );
}

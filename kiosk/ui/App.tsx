/** The kiosk page: the mirror, the emergency stop and a latched-stop notice (always in view), session status, chart, guidance, user controls and the PIN-locked operator panel; where each goes per screen (landscape, portrait, phone) is in app.css. */
import { CalibrationChecklist } from "./Calibration.tsx";
import { Controls, EmergencyStop } from "./Controls.tsx";
import { CurrentChart } from "./CurrentChart.tsx";
import { GuidancePanel } from "./GuidancePanel.tsx";
import { LatchNotice } from "./LatchNotice.tsx";
import { MirrorArea } from "./MirrorArea.tsx";
import { OnboardingScreen } from "./OnboardingScreen.tsx";
import { OperatorPanel } from "./OperatorPanel.tsx";
import { OperatorReadings } from "./OperatorReadings.tsx";
import { ProfileChip } from "./ProfileChip.tsx";
import { ProfilesScreen } from "./ProfilesScreen.tsx";
import { currentProfile } from "./profile.ts";
import { SessionPanel } from "./SessionPanel.tsx";
import { HistoryScreen } from "./HistoryScreen.tsx";
import { SummaryScreen } from "./SummaryScreen.tsx";
import { hello } from "./state.ts";
import { type Screen, shownScreen } from "./journey.ts";
import { messagesFor } from "./i18n.ts";
import { SESSION } from "./i18n/session.ts";
import { AttractScreen } from "./AttractScreen.tsx";
import { StaffScreen } from "./StaffScreen.tsx";
import type { ComponentType } from "preact";

const t = messagesFor(SESSION);

/** The journey's screens other than the live session, each in its own module (journey.ts says which is shown). */
export const SCREENS: Partial<Record<Screen, ComponentType>> = {
  profiles: ProfilesScreen,
  attract: AttractScreen,
  staff: StaffScreen,
  onboarding: () => <OnboardingScreen profile={currentProfile.value} />,
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
        <ProfileChip />
        <SessionPanel />
        <section class="panel" aria-label={t("chart")}>
          <h2>{t("chart")}</h2>
          <CurrentChart />
        </section>
        <GuidancePanel />
        <CalibrationChecklist />
        <Controls />
        <OperatorPanel />
        <OperatorReadings />
        <small class="row version">
          Glidepath {hello.value?.version ?? ""}
        </small>
      </aside>
    </div>
  );
}

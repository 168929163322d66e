/** The dashboard's frame: the sign-in form, or the header with the four pages (chosen by the URL's #hash). */
import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { me, signOut } from "./api.ts";
import { Login } from "./Login.tsx";
import { StationsPage } from "./StationsPage.tsx";
import { SessionsPage } from "./SessionsPage.tsx";
import { AuditPage } from "./AuditPage.tsx";
import { PluginsPage } from "./PluginsPage.tsx";
import { loadStations } from "./stations.ts";

const PAGES = {
  stations: { label: "Stations", view: StationsPage },
  sessions: { label: "Today's sessions", view: SessionsPage },
  audit: { label: "Audit log", view: AuditPage },
  plugins: { label: "Plugins", view: PluginsPage },
} as const;
type PageId = keyof typeof PAGES;

const pageOf = (hash: string): PageId => {
  const id = hash.replace(/^#/, "");
  return id in PAGES ? id as PageId : "stations";
};
const page = signal<PageId>(pageOf(location.hash));
addEventListener("hashchange", () => (page.value = pageOf(location.hash)));

/** The whole page. */
export function App() {
  const who = me.value;
  // The station list feeds every page's station filter; it is loaded once signed in and kept fresh.
  useEffect(() => {
    if (!who) return;
    void loadStations();
    const timer = setInterval(() => void loadStations(true), 5000);
    return () => clearInterval(timer);
  }, [who?.login]);
  if (who === undefined) return <main class="loading">Loading…</main>;
  if (who === null) return <Login />;
  const View = PAGES[page.value].view;
  return (
    <div class="frame">
      <header>
        <h1>Glidepath staff</h1>
        <nav>
          {(Object.keys(PAGES) as PageId[]).map((id) => (
            <a key={id} href={`#${id}`} class={page.value === id ? "current" : ""} data-testid={`nav-${id}`}>
              {PAGES[id].label}
            </a>
          ))}
        </nav>
        <div class="who" data-testid="who" data-login={who.login} data-salon={who.salon ?? ""}>
          {who.login} · {who.salon ?? "all salons"}
          <button type="button" data-testid="sign-out" onClick={() => void signOut()}>Sign out</button>
        </div>
      </header>
      <main data-testid={`page-${page.value}`}>
        <View />
      </main>
    </div>
  );
}

/** The sign-in form. */
import { signal } from "@preact/signals";
import { signIn } from "./api.ts";

const error = signal("");
const busy = signal(false);

/** Login and password, and the server's answer when it refuses. */
export function Login() {
  async function submit(e: Event) {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    busy.value = true;
    error.value = "";
    try {
      await signIn(String(form.get("login") ?? ""), String(form.get("password") ?? ""));
    } catch (err) {
      error.value = err instanceof Error ? err.message : String(err);
    } finally {
      busy.value = false;
    }
  }
  return (
    <main class="login">
      <form onSubmit={submit} data-testid="login-form">
        <h1>Glidepath staff</h1>
        <label>
          Login
          <input name="login" autocomplete="username" required maxLength={40} data-testid="login" />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            data-testid="password"
          />
        </label>
        <button type="submit" disabled={busy.value} data-testid="sign-in">Sign in</button>
        {error.value && <p class="error" role="alert" data-testid="login-error">{error.value}</p>}
      </form>
    </main>
  );
}

import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.js';
import { useSession } from '../session.js';
import type { AccountSummary } from '../types.js';

/** Sign-in, or sign-up while this Sightline has no user yet (the first user owns every project). */
export function SignInPage() {
  const { session, apply } = useSession();
  const signUp = session?.signUpOpen ?? false;
  const needsLink = signUp && (session?.signUpNeedsSetupLink ?? false);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      apply(await api.post<AccountSummary>(signUp ? '/auth/sign-up' : '/auth/sign-in', { email, password }));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not reach the server');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="auth-page">
      <form className="auth-card" onSubmit={(e) => void submit(e)}>
        <h1>Sightline</h1>
        <p className="muted">{signUp ? 'Create the first account. It owns every project.' : 'Sign in to continue.'}</p>
        {needsLink && (
          <p className="muted" role="note">
            This browser is not on the server's machine: open the setup link Sightline printed when it started, or sign up from the
            server itself.
          </p>
        )}
        <label>
          Email
          <input name="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete={signUp ? 'new-password' : 'current-password'}
            minLength={signUp ? 8 : undefined}
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {signUp ? 'Create account' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}

import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, setCsrfToken } from './api.js';
import type { AccountSummary } from './types.js';

interface SessionState {
  session: AccountSummary | null;
  /** Replaces the summary (after sign-in, sign-up, sign-out or a project change). */
  apply(summary: AccountSummary): void;
  refresh(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<AccountSummary | null>(null);
  const apply = useCallback((s: AccountSummary) => {
    setCsrfToken(s.csrfToken);
    setSession(s);
  }, []);
  const refresh = useCallback(async () => apply(await api.get<AccountSummary>('/session')), [apply]);
  useEffect(() => {
    refresh().catch(() => apply({ user: null, csrfToken: null, signUpOpen: false, projects: [] }));
  }, [refresh, apply]);
  return <SessionContext.Provider value={{ session, apply, refresh }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

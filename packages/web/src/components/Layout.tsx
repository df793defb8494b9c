import type { ReactNode } from 'react';
import { Link, useLocation, useRoute } from 'wouter';
import { api } from '../api.js';
import { useSession } from '../session.js';
import type { AccountSummary } from '../types.js';

const SECTIONS = [
  ['traces', 'Traces'],
  ['observations', 'Observations'],
  ['sessions', 'Sessions'],
  ['users', 'Users'],
  ['prompts', 'Prompts'],
  ['playground', 'Playground'],
  ['datasets', 'Datasets'],
  ['dashboard', 'Dashboard'],
  ['scores', 'Scores'],
  ['queues', 'Queues'],
  ['evaluators', 'Evaluators'],
  ['settings', 'Settings'],
] as const;

export function Layout({ children }: { children: ReactNode }) {
  const { session, apply } = useSession();
  const [, params] = useRoute<{ projectId: string; rest: string }>('/p/:projectId/*?');
  const [location, navigate] = useLocation();
  // A URL naming a project the user is not in shows no project, never the sidebar of another one.
  const projectId = params ? session?.projects.find((p) => p.id === params.projectId)?.id : session?.projects[0]?.id;
  const section = /^\/p\/[^/]+\/([^/?]+)/.exec(location)?.[1] ?? 'settings';

  async function signOut() {
    await api.post('/auth/sign-out');
    apply(await api.get<AccountSummary>('/session'));
    navigate('/');
  }

  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Sightline</div>
        <label className="project-switch">
          <span>Project</span>
          <select
            aria-label="Project"
            value={projectId ?? ''}
            onChange={(e) => navigate(`/p/${e.target.value}/${section === 'settings' ? 'settings' : section}`)}
          >
            {!projectId && (
              <option value="" disabled>
                Choose a project
              </option>
            )}
            {session?.projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.role})
              </option>
            ))}
          </select>
        </label>
        <ul>
          {projectId &&
            SECTIONS.map(([key, label]) => (
              <li key={key}>
                <Link href={`/p/${projectId}/${key}`} className={section === key ? 'active' : ''}>
                  {label}
                </Link>
              </li>
            ))}
        </ul>
        <div className="whoami">
          <span title={session?.user?.email}>{session?.user?.email}</span>
          <button type="button" className="link" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </nav>
      <main className="content">{children}</main>
    </div>
  );
}

import { Fragment, useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { api, ApiError } from '../api.js';
import { RetentionSettings } from '../components/RetentionSettings.js';
import { ExportSchedule } from '../components/ExportSchedule.js';
import { LlmConnections } from '../components/LlmConnections.js';
import { formatTime } from '../format.js';
import { useSession } from '../session.js';
import { useFetch } from '../use-fetch.js';
import type { AccountSummary, ApiKeyListResponse, Member, MemberListResponse, Role } from '../types.js';

const errorText = (err: unknown) => (err instanceof ApiError ? err.message : String(err));

/** Projects, API keys and members. What a role may not do is hidden here and refused by the server. */
export function SettingsPage({ projectId }: { projectId: string | null }) {
  const { session } = useSession();
  const project = session?.projects.find((p) => p.id === projectId) ?? null;
  const manage = project?.role === 'owner' || project?.role === 'admin';
  return (
    <section className="page settings">
      <header className="page-head">
        <h1>Settings{project ? ` · ${project.name}` : ''}</h1>
        {project && <span className="chip">your role: {project.role}</span>}
      </header>
      {session?.canCreateProjects && <NewProject />}
      <ChangePassword />
      {/* Keyed by project: a new key's secret, a half-filled form or an error stays with its project. */}
      {project && (
        <Fragment key={project.id}>
          {manage && <ApiKeys projectId={project.id} />}
          {manage && <ExportSchedule projectId={project.id} />}
          <Members projectId={project.id} manage={manage} isOwner={project.role === 'owner'} />
          <RetentionSettings projectId={project.id} manage={manage} />
          <LlmConnections projectId={project.id} />
        </Fragment>
      )}
    </section>
  );
}

function NewProject() {
  const { refresh } = useSession();
  const [, navigate] = useLocation();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      const p = await api.post<{ id: string }>('/projects', { name });
      await refresh();
      setName('');
      navigate(`/p/${p.id}/settings`);
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <section className="card">
      <h2>New project</h2>
      <form className="inline-form" onSubmit={(e) => void submit(e)}>
        <input aria-label="Project name" required placeholder="Project name" value={name} onChange={(e) => setName(e.target.value)} />
        <button type="submit">Create project</button>
      </form>
      {error && <p className="error">{error}</p>}
    </section>
  );
}

function ChangePassword() {
  const { apply } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    try {
      apply(await api.post<AccountSummary>('/auth/password', { currentPassword: current, newPassword: next }));
      setCurrent('');
      setNext('');
      setMessage({ ok: true, text: 'Password changed. Other browsers were signed out.' });
    } catch (err) {
      setMessage({ ok: false, text: errorText(err) });
    }
  }
  return (
    <section className="card">
      <h2>Your password</h2>
      <form className="inline-form" onSubmit={(e) => void submit(e)}>
        <input aria-label="Current password" type="password" autoComplete="current-password" required placeholder="Current password" value={current} onChange={(e) => setCurrent(e.target.value)} />
        <input aria-label="New password" type="password" autoComplete="new-password" required minLength={8} placeholder="New password (8+ characters)" value={next} onChange={(e) => setNext(e.target.value)} />
        <button type="submit">Change password</button>
      </form>
      {message && <p className={message.ok ? 'muted' : 'error'}>{message.text}</p>}
    </section>
  );
}

function ApiKeys({ projectId }: { projectId: string }) {
  const keys = useFetch<ApiKeyListResponse>(`/projects/${projectId}/api-keys`);
  const [note, setNote] = useState('');
  const [created, setCreated] = useState<{ publicKey: string; secretKey: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function create(e: FormEvent) {
    e.preventDefault();
    try {
      const k = await api.post<{ publicKey: string; secretKey: string }>(`/projects/${projectId}/api-keys`, { note });
      setCreated(k);
      setNote('');
      keys.reload();
    } catch (err) {
      setError(errorText(err));
    }
  }
  async function revoke(id: string) {
    if (!window.confirm('Revoke this key? Clients using it stop working.')) return;
    try {
      await api.del(`/projects/${projectId}/api-keys/${id}`);
      keys.reload();
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <section className="card">
      <h2>API keys</h2>
      <form className="inline-form" onSubmit={(e) => void create(e)}>
        <input aria-label="Key note" placeholder="Note (optional)" value={note} onChange={(e) => setNote(e.target.value)} />
        <button type="submit">Create API key</button>
      </form>
      {created && (
        <div className="secret-once" role="status">
          <p>
            <strong>Copy the secret now — it is shown only once.</strong>
          </p>
          <pre className="text">
            {`LANGFUSE_PUBLIC_KEY=${created.publicKey}\nLANGFUSE_SECRET_KEY=${created.secretKey}\nLANGFUSE_HOST=${window.location.origin}`}
          </pre>
          <button type="button" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      )}
      {error && <p className="error">{error}</p>}
      <table className="data" aria-label="API keys">
        <thead>
          <tr>
            <th>Public key</th>
            <th>Secret</th>
            <th>Note</th>
            <th>Created</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {keys.data?.data.map((k) => (
            <tr key={k.id}>
              <td>
                <code>{k.publicKey}</code>
              </td>
              <td>
                <code>{k.displaySecret}</code>
              </td>
              <td>{k.note ?? ''}</td>
              <td className="nowrap">{formatTime(k.createdAt)}</td>
              <td>{k.revokedAt ? 'revoked' : 'active'}</td>
              <td>
                {!k.revokedAt && (
                  <button type="button" className="danger" onClick={() => void revoke(k.id)}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Members({ projectId, manage, isOwner }: { projectId: string; manage: boolean; isOwner: boolean }) {
  const members = useFetch<MemberListResponse>(`/projects/${projectId}/members`);
  const [form, setForm] = useState({ email: '', role: 'viewer' as Role, password: '' });
  const [error, setError] = useState<string | null>(null);
  async function add(e: FormEvent) {
    e.preventDefault();
    try {
      await api.post(`/projects/${projectId}/members`, { email: form.email, role: form.role, password: form.password || undefined });
      setForm({ email: '', role: 'viewer', password: '' });
      setError(null);
      members.reload();
    } catch (err) {
      setError(errorText(err));
    }
  }
  async function remove(m: Member) {
    if (!window.confirm(`Remove ${m.email} from this project? They lose access to its traces, sessions and settings.`)) return;
    try {
      await api.del(`/projects/${projectId}/members/${m.userId}`);
      members.reload();
    } catch (err) {
      setError(errorText(err));
    }
  }
  const roles: Role[] = isOwner ? ['viewer', 'member', 'admin', 'owner'] : ['viewer', 'member'];
  return (
    <section className="card">
      <h2>Members</h2>
      {manage && (
        <form className="inline-form" onSubmit={(e) => void add(e)} aria-label="Add member">
          <input aria-label="Member email" type="email" required placeholder="Email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
          <select aria-label="Member role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {roles.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
          <input
            aria-label="Initial password"
            type="password"
            autoComplete="new-password"
            placeholder="Initial password (new accounts)"
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
          <button type="submit">Add member</button>
        </form>
      )}
      {error && <p className="error">{error}</p>}
      <table className="data" aria-label="Members">
        <thead>
          <tr>
            <th>Email</th>
            <th>Role</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {members.data?.data.map((m) => (
            <tr key={m.userId}>
              <td>{m.email}</td>
              <td>{m.role}</td>
              <td>
                {manage && (isOwner || (m.role !== 'owner' && m.role !== 'admin')) && (
                  <button type="button" className="danger" onClick={() => void remove(m)}>
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

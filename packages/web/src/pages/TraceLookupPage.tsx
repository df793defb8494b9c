import { useEffect, useState } from 'react';
import { Link, Redirect } from 'wouter';
import { api, ApiError } from '../api.js';
import { useSession } from '../session.js';
import type { ProjectRef } from '../types.js';

const tracePath = (projectId: string, traceId: string) => `/p/${projectId}/traces/${encodeURIComponent(traceId)}`;

/**
 * `/trace/<id>` is the link the Langfuse SDKs hand out (`getTraceUrl()`); it names no project,
 * so this asks each of the user's projects for the trace and opens it where it is found.
 */
export function TraceLookupPage({ traceId }: { traceId: string }) {
  const { session } = useSession();
  const projects = session?.projects;
  const [found, setFound] = useState<ProjectRef[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!projects) return undefined;
    let current = true;
    setFound(null);
    setError(null);
    const probe = (p: ProjectRef) =>
      api.get(`/projects/${p.id}/traces/${encodeURIComponent(traceId)}`).then(
        () => p,
        (err: unknown) => {
          if (err instanceof ApiError && err.status === 404) return null;
          throw err;
        },
      );
    Promise.all(projects.map(probe)).then(
      (hits) => current && setFound(hits.filter((p): p is ProjectRef => p !== null)),
      (err: unknown) => current && setError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      current = false;
    };
  }, [projects, traceId]);

  if (found?.length === 1) return <Redirect to={tracePath(found[0].id, traceId)} replace />;
  return (
    <section className="page">
      <header className="page-head">
        <h1>{found && found.length > 1 ? 'Trace in several projects' : found ? 'Trace not found' : 'Finding the trace…'}</h1>
      </header>
      <p>
        <code>{traceId}</code>
      </p>
      {error && <p className="error">{error}</p>}
      {found?.length === 0 && <p className="muted">None of your projects has a trace with this id.</p>}
      {found && found.length > 1 && (
        <ul aria-label="Projects with this trace">
          {found.map((p) => (
            <li key={p.id}>
              <Link href={tracePath(p.id, traceId)}>{p.name}</Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

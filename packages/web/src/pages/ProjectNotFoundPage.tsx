import { useEffect } from 'react';
import { Link } from 'wouter';
import { useSession } from '../session.js';

/** `/p/<id>/…` for a project the user is not a member of (or that does not exist). */
export function ProjectNotFoundPage({ projectId }: { projectId: string }) {
  const { session, refresh } = useSession();
  // The project may have been created, or the user added to it, since this page loaded.
  useEffect(() => {
    refresh().catch(() => {});
  }, [projectId, refresh]);
  const first = session?.projects[0];
  return (
    <section className="page">
      <header className="page-head">
        <h1>Project not found</h1>
      </header>
      <p>
        None of your projects has the id <code>{projectId}</code>.
      </p>
      {first && (
        <p>
          <Link href={`/p/${first.id}/traces`}>Open {first.name}</Link>
        </p>
      )}
    </section>
  );
}

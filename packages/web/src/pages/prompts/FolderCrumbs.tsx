import { Link } from 'wouter';
import { folderHref } from '../../prompts/prompt-links.js';

/** `Prompts / support / email`: each step opens that folder. */
export function FolderCrumbs({ projectId, folder, leaf }: { projectId: string; folder: string; leaf?: string }) {
  const parts = folder ? folder.split('/') : [];
  return (
    <nav className="crumbs" aria-label="Folders">
      <Link href={folderHref(projectId, '')}>Prompts</Link>
      {parts.map((p, i) => (
        <span key={i}>
          {' / '}
          <Link href={folderHref(projectId, parts.slice(0, i + 1).join('/'))}>{p}</Link>
        </span>
      ))}
      {leaf !== undefined && <span> / {leaf}</span>}
    </nav>
  );
}

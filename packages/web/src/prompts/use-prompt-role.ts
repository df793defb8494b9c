import { useSession } from '../session.js';

/** What the signed-in user may do with the project's prompts (the server refuses the rest with a 403). */
export function usePromptRights(projectId: string): { canWrite: boolean; canAdmin: boolean } {
  const { session } = useSession();
  const role = session?.projects.find((p) => p.id === projectId)?.role;
  const canAdmin = role === 'owner' || role === 'admin';
  return { canWrite: canAdmin || role === 'member', canAdmin };
}

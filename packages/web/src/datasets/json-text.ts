import { useSession } from '../session.js';

/** A value as the editor shows it: strings as they are, anything else as indented JSON; nothing as ''. */
export function toEditText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : JSON.stringify(v, null, 2);
}

/** Editor text back to a value: JSON when it parses as JSON, else the text itself; '' is nothing (null). */
export function fromEditText(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** JSON text of a stored input or output (as traces hold it) to the value. */
export function parseStored(text: string | null | undefined): unknown {
  if (text === null || text === undefined || text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** One line of a value for a table cell. */
export function previewText(v: unknown, max = 160): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** Members and up change datasets; viewers read (the server refuses the rest with a 403). */
export function useCanWriteDatasets(projectId: string): boolean {
  const { session } = useSession();
  const role = session?.projects.find((p) => p.id === projectId)?.role;
  return role === 'owner' || role === 'admin' || role === 'member';
}

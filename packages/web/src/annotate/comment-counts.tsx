import { query } from '../api.js';
import { useFetch } from '../use-fetch.js';
import type { CommentCountsResponse, CommentTarget } from '../types.js';

/** Comment counts of the ids a list shows, in one request per page of the list. */
export function useCommentCounts(projectId: string, objectType: CommentTarget, ids: string[]): Record<string, number> {
  const path = ids.length > 0 ? `/projects/${projectId}/comments/counts${query({ objectType, ids })}` : null;
  return useFetch<CommentCountsResponse>(path).data?.counts ?? {};
}

/** A small count of comments; nothing without any. */
export function CommentBadge({ count }: { count: number | undefined }) {
  if (!count) return null;
  return (
    <span className="chip comment-count" title={`${count} comment${count === 1 ? '' : 's'}`} aria-label={`${count} comments`}>
      💬 {count}
    </span>
  );
}

import { badRequest, toIso, toIsoOrNull } from '@sightline/core';
import type { AnnotationQueueRecord, CommentRecord, QueueItemRecord, Storage } from '@sightline/storage';

/** Throws a 400 unless `userId` is a member of the project (authors and reviewers are people of the project). */
export async function requireMember(storage: Storage, projectId: string, userId: string, field: string): Promise<void> {
  if (!(await storage.accounts.getMembership(projectId, userId))) throw badRequest(`${field}: no member of this project has the user id '${userId}'`);
}

export const presentComment = (c: CommentRecord) => ({
  id: c.id,
  projectId: c.projectId,
  objectType: c.objectType,
  objectId: c.objectId,
  content: c.content,
  authorUserId: c.authorUserId,
  createdAt: toIso(c.createdAt),
  updatedAt: toIso(c.updatedAt),
});

export const presentQueue = (q: AnnotationQueueRecord) => ({
  id: q.id,
  name: q.name,
  description: q.description,
  scoreConfigIds: q.scoreConfigIds,
  createdAt: toIso(q.createdAt),
  updatedAt: toIso(q.updatedAt),
});

export const presentQueueItem = (i: QueueItemRecord) => ({
  id: i.id,
  queueId: i.queueId,
  objectId: i.objectId,
  objectType: i.objectType,
  status: i.status,
  completedAt: toIsoOrNull(i.completedAt),
  createdAt: toIso(i.createdAt),
  updatedAt: toIso(i.updatedAt),
});

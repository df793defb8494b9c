import type { Page } from '../types.js';

export const QUEUE_OBJECT_TYPES = ['TRACE', 'OBSERVATION', 'SESSION'] as const;
export type QueueObjectType = (typeof QUEUE_OBJECT_TYPES)[number];
export const QUEUE_ITEM_STATUSES = ['PENDING', 'COMPLETED'] as const;
export type QueueItemStatus = (typeof QUEUE_ITEM_STATUSES)[number];

export interface AnnotationQueueRecord {
  id: string;
  projectId: string;
  name: string;
  description: string | null;
  /** The configs a reviewer scores each item with, in the order given. */
  scoreConfigIds: string[];
  createdAt: number;
  updatedAt: number;
}

export interface QueueItemRecord {
  id: string;
  projectId: string;
  queueId: string;
  objectId: string;
  objectType: QueueObjectType;
  status: QueueItemStatus;
  completedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface QueueItemQuery extends Page {
  status?: QueueItemStatus;
}

export interface QueueAssignment {
  projectId: string;
  queueId: string;
  userId: string;
  createdAt: number;
}

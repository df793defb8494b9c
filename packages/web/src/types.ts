// Shapes of the /api/ui responses. Kept here (not imported from the server) so the bundle
// depends on nothing but the JSON contract.

export type Role = 'owner' | 'admin' | 'member' | 'viewer';
export type Level = 'DEBUG' | 'DEFAULT' | 'WARNING' | 'ERROR';

export interface User {
  id: string;
  email: string;
  name: string | null;
}

export interface ProjectRef {
  id: string;
  name: string;
  role: Role;
}

export interface SessionSummary {
  user: User | null;
  csrfToken: string | null;
  signUpOpen: boolean;
  /** Sign-up from this browser needs the setup link printed at start (it is not on the server's machine). */
  signUpNeedsSetupLink?: boolean;
  /** Owners and admins of some project may create projects. */
  canCreateProjects?: boolean;
  projects: ProjectRef[];
}

export interface Score {
  id: string;
  name: string;
  value: number;
  stringValue: string | null;
  dataType: string;
  source: string;
  observationId: string | null;
  comment?: string | null;
  timestamp?: number;
  metadata?: Record<string, unknown>;
}

export interface TraceRow {
  id: string;
  timestamp: number;
  name: string | null;
  userId: string | null;
  sessionId: string | null;
  environment: string;
  tags: string[];
  latencyMs: number | null;
  totalTokens: number;
  totalCost: number | null;
  observationCount: number;
  errorCount: number;
  scores: Score[];
}

export interface Trace {
  id: string;
  timestamp: number;
  name: string | null;
  input: string | null;
  output: string | null;
  sessionId: string | null;
  userId: string | null;
  environment: string;
  metadata: Record<string, unknown>;
  release: string | null;
  version: string | null;
  tags: string[];
}

export interface Observation {
  id: string;
  traceId: string | null;
  parentObservationId: string | null;
  type: string;
  name: string | null;
  environment: string;
  startTime: number;
  endTime: number | null;
  completionStartTime: number | null;
  input: string | null;
  output: string | null;
  metadata: Record<string, unknown>;
  level: Level;
  statusMessage: string | null;
  model: string | null;
  modelParameters: Record<string, unknown> | null;
  usageDetails: Record<string, number>;
  costDetails: Record<string, number>;
  totalCost: number | null;
  version: string | null;
  promptName: string | null;
  promptVersion: number | null;
}

/** The compact, columnar trace tree (see the server's tree presenter). */
export interface CompactTree {
  count: number;
  t0: number;
  types: string[];
  levels: string[];
  names: string[];
  models: string[];
  id: string[];
  parent: number[];
  name: number[];
  type: number[];
  level: number[];
  model: number[];
  start: number[];
  end: number[];
  cost: (number | null)[];
  tokens: (number | null)[];
}

export interface SessionRow {
  id: string;
  createdAt: number;
  environment: string;
  traceCount: number;
  firstTrace: number | null;
  lastTrace: number | null;
  userIds: string[];
  totalCost: number;
}

export interface UserRow {
  userId: string;
  traceCount: number;
  firstSeen: number;
  lastSeen: number;
  totalTokens: number;
  totalCost: number;
}

export interface ApiKeyRow {
  id: string;
  publicKey: string;
  displaySecret: string;
  note: string | null;
  createdAt: number;
  revokedAt: number | null;
}

export interface Member {
  userId: string;
  email: string;
  name: string | null;
  role: Role;
}

/** One part of the build: what it reads, what it writes, and the command that turns one into the other. */
export interface BuildPart {
  name: string;
  /** Files or folders (walked) relative to the root whose contents decide staleness. */
  inputs: string[];
  /** Folders or files the command writes; any change to them since the stamp means stale. */
  outputs: string[];
  /** Files that must exist for the part to count as built. */
  required: string[];
  command: string[];
}

export const PARTS: BuildPart[];

export function buildIfStale(options?: {
  root?: string;
  parts?: BuildPart[];
  stampDir?: string;
  check?: boolean;
  log?: (line: string) => void;
}): string[];

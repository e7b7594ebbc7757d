/**
 * Opaque global ids: base64url of `<Type>:<row id>`. Clients must not parse them; we only
 * promise they are unique across types and stable.
 */

/** Row ids are 32-bit serials; a larger number cannot be ours (and PostgreSQL rejects it). */
export const MAX_ROW_ID = 2_147_483_647;

export const NODE_TYPES = ['Event', 'Talk', 'Speaker', 'Topic'] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export interface NodeRef {
  type: NodeType;
  id: number;
}

export function toGlobalId(type: NodeType, id: number): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

/** Returns null for anything that is not an id we issued (wrong shape, unknown type). */
export function fromGlobalId(globalId: string): NodeRef | null {
  if (globalId.length === 0 || globalId.length > 64 || !/^[A-Za-z0-9_-]+$/.test(globalId))
    return null;
  const match = /^([A-Za-z]+):([1-9]\d{0,9})$/.exec(
    Buffer.from(globalId, 'base64url').toString('utf8'),
  );
  if (!match) return null;
  const type = NODE_TYPES.find((t) => t === match[1]);
  const id = Number(match[2]);
  if (!type || id > MAX_ROW_ID) return null;
  // Re-encoding guards against non-canonical base64 spellings of the same id.
  return toGlobalId(type, id) === globalId ? { type, id } : null;
}

import { SignJWT, jwtVerify } from 'jose';
import { ForbiddenError, UnauthenticatedError } from './errors';

export type Role = 'admin' | 'viewer';

export interface Viewer {
  id: string;
  role: Role;
}

const ALGORITHM = 'HS256';

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/**
 * The viewer an `Authorization` header proves, or null without one. Any header that is
 * present but not a valid, unexpired HS256 token of ours is refused outright: a client
 * with a broken token should learn so, not silently browse as anonymous.
 */
export async function authenticate(
  header: string | undefined,
  secret: string,
): Promise<Viewer | null> {
  if (header === undefined || header === '') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) throw new UnauthenticatedError('Authorization must be "Bearer <token>"');
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(match[1]!, key(secret), { algorithms: [ALGORITHM] }));
  } catch {
    throw new UnauthenticatedError('Invalid or expired token');
  }
  const { sub, role } = payload;
  if (typeof sub !== 'string' || sub === '' || sub.length > 200) {
    throw new UnauthenticatedError('Token has no valid sub claim');
  }
  if (role !== 'admin' && role !== 'viewer') {
    throw new UnauthenticatedError('Token role must be admin or viewer');
  }
  return { id: sub, role };
}

export async function signToken(
  viewer: Viewer,
  secret: string,
  expiresIn = '30d',
): Promise<string> {
  return new SignJWT({ role: viewer.role })
    .setProtectedHeader({ alg: ALGORITHM })
    .setSubject(viewer.id)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key(secret));
}

/** Admin mutations: anonymous is UNAUTHENTICATED, a signed-in non-admin FORBIDDEN. */
export function requireAdmin(viewer: Viewer | null): Viewer {
  if (!viewer) throw new UnauthenticatedError();
  if (viewer.role !== 'admin') throw new ForbiddenError();
  return viewer;
}

export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw new UnauthenticatedError('Sign in to like things');
  return viewer;
}

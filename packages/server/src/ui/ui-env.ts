import type { Membership, UserRecord } from '@sightline/storage';
import type { ClientInfo } from '../http/client-address.js';
import type { User } from './api-types.js';

/** Request variables of the /api/ui routes. */
export interface UiEnv {
  Variables: {
    /** The signed-in user, or null. */
    user: UserRecord | null;
    /** The raw session token from the cookie (for sign-out and the CSRF token), or null. */
    sessionToken: string | null;
    /** The signed-in user's membership of the project in the path (`/projects/:projectId/…`). */
    member: Membership;
    /** Who sent the request (set for the whole app in app.ts). */
    client: ClientInfo;
  };
}

/** What the UI may know of a user: never the password hash. */
export const publicUser = (u: UserRecord): User => ({ id: u.id, email: u.email, name: u.name, createdAt: u.createdAt });

import type { Principal } from './policy';

/** The session behind a request, when one is signed in. */
export interface StaffSession {
  /** sha256 of the session id (the id itself only ever sits in the cookie). */
  idHash: Buffer;
  remember: boolean;
  mfa: boolean;
  expiresAt: Date;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** The signed-in staff member, set by the session middleware. */
    principal?: Principal;
    /** Their session. */
    staffSession?: StaffSession;
  }
}

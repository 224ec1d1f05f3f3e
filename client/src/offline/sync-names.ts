/** Background Sync tag the service worker listens to. */
export const SYNC_TAG = 'vigie-outbox';
/** Web Lock held while uploading, shared by pages and the service worker: one upload at a time. */
export const UPLOAD_LOCK = 'vigie-outbox-upload';
/** Message the service worker posts to pages after it changed the outbox. */
export const OUTBOX_CHANGED = 'outbox-changed';

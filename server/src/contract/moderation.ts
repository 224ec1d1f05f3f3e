import { z } from 'zod';
import type { Priority } from './common';

/**
 * Pure rules of the town hall's edits and moderation, shared by the server (which enforces
 * them) and the staff client (which offers only what the server will accept).
 */

/** Limits of a photo redaction. */
export const REDACTION = {
  /** Rectangles per request: enough for a crowd or a car park, not a way to repaint a photo. */
  maxRectangles: 20,
} as const;

/** How a rectangle is hidden: a solid fill (safest for number plates) or a strong pixelating blur. */
export const REDACTION_STYLES = ['fill', 'blur'] as const;
export type RedactionStyle = (typeof REDACTION_STYLES)[number];

/**
 * A rectangle to redact, in pixels of the stored photo (its `width` x `height`, origin top
 * left). Whole pixels: the client converts from what it displays (see `rectFromDrag`).
 */
export const RedactionRect = z
  .object({
    /** Left edge, pixels from the photo's left side. */
    x: z.number().int('must be a whole number of pixels').min(0, 'must not be negative'),
    /** Top edge, pixels from the photo's top. */
    y: z.number().int('must be a whole number of pixels').min(0, 'must not be negative'),
    /** Width, pixels (at least 1: a rectangle without area hides nothing). */
    width: z.number().int('must be a whole number of pixels').min(1, 'must be at least 1 pixel'),
    /** Height, pixels (at least 1). */
    height: z.number().int('must be a whole number of pixels').min(1, 'must be at least 1 pixel'),
  })
  .strict();
export type RedactionRect = z.infer<typeof RedactionRect>;

/** Why a set of rectangles cannot be applied to a photo of this size, or undefined when it can. */
export function redactionProblem(
  rects: readonly RedactionRect[],
  image: { width: number; height: number },
): { index: number; message: string } | undefined {
  for (const [index, r] of rects.entries()) {
    if (r.width <= 0 || r.height <= 0) return { index, message: 'has no area' };
    if (r.x < 0 || r.y < 0 || r.x + r.width > image.width || r.y + r.height > image.height) {
      return {
        index,
        message: `goes outside the ${image.width} x ${image.height} photo`,
      };
    }
  }
  return undefined;
}

/**
 * Blocks across the longer side of a blurred rectangle. Six blocks leave a face or a number
 * plate unrecognisable whatever its size (a fixed blur radius would leave a large plate
 * readable); the pixels are averaged away, so no deblurring filter can bring them back.
 */
const BLUR_BLOCKS = 6;

/** Side of the pixelation blocks of a blurred rectangle, pixels (the server redacts, the client previews). */
export function blurBlock(r: { width: number; height: number }): number {
  return Math.max(2, Math.ceil(Math.max(r.width, r.height) / BLUR_BLOCKS));
}

/** A point on a displayed image, in CSS pixels from its top left corner. */
export interface DisplayPoint {
  x: number;
  y: number;
}

/**
 * The rectangle of the stored photo under a drag from `a` to `b` on its displayed copy
 * (`shown` CSS pixels for `natural` stored pixels): any drag direction, clamped to the photo,
 * widened outwards to whole pixels so nothing at the edge of the selection escapes. Undefined
 * when the drag covers no pixel (a click).
 */
export function rectFromDrag(
  a: DisplayPoint,
  b: DisplayPoint,
  shown: { width: number; height: number },
  natural: { width: number; height: number },
): RedactionRect | undefined {
  if (shown.width <= 0 || shown.height <= 0) return undefined;
  const sx = natural.width / shown.width;
  const sy = natural.height / shown.height;
  const clamp = (v: number, max: number) => Math.min(Math.max(v, 0), max);
  const left = clamp(Math.min(a.x, b.x) * sx, natural.width);
  const right = clamp(Math.max(a.x, b.x) * sx, natural.width);
  const top = clamp(Math.min(a.y, b.y) * sy, natural.height);
  const bottom = clamp(Math.max(a.y, b.y) * sy, natural.height);
  const x = Math.floor(left);
  const y = Math.floor(top);
  const width = Math.ceil(right) - x;
  const height = Math.ceil(bottom) - y;
  if (right - left < 1 || bottom - top < 1) return undefined;
  return { x, y, width, height };
}

/**
 * The priority of a report whose category changes. An explicit choice wins. Otherwise the
 * priority follows the new category's default only when it still was the old category's
 * default: a priority someone chose on purpose (a pothole raised to "danger") is kept.
 */
export function priorityAfterCategoryChange(p: {
  current: Priority;
  oldDefault: Priority;
  newDefault: Priority;
  requested?: Priority | undefined;
}): Priority {
  if (p.requested) return p.requested;
  return p.current === p.oldDefault ? p.newDefault : p.current;
}

/** What decides whether a photo may be shown to someone without an account. */
export interface PhotoPublicFacts {
  /** The commune allows photos to be shown publicly once moderated. */
  communePhotosPublic: boolean;
  /** When a moderator approved the photo (null: not looked at yet). */
  moderatedAt: string | Date | null;
  photoHidden: boolean;
  reportHidden: boolean;
}

/** The public photo rule: allowed by the commune, approved by a moderator, neither it nor its report hidden. */
export function photoIsPublic(f: PhotoPublicFacts): boolean {
  return f.communePhotosPublic && f.moderatedAt !== null && !f.photoHidden && !f.reportHidden;
}

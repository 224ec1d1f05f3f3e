import { describe, expect, it } from 'vitest';
import {
  photoIsPublic,
  priorityAfterCategoryChange,
  rectFromDrag,
  REDACTION,
  redactionProblem,
} from '../../../server/src/contract/moderation';
import {
  MergeBody,
  RedactionBody,
  ReportEditBody,
  ReportModerationBody,
} from '../../../server/src/contract/staff';
import { ROLE_PERMISSIONS } from '../../../server/src/auth/policy';

const photo = { width: 2048, height: 1536 };

describe('redactionProblem', () => {
  it('accepts rectangles inside the photo, edges included', () => {
    expect(redactionProblem([{ x: 0, y: 0, width: 2048, height: 1536 }], photo)).toBeUndefined();
    expect(redactionProblem([{ x: 2047, y: 1535, width: 1, height: 1 }], photo)).toBeUndefined();
  });

  it('names the first rectangle that goes outside the photo', () => {
    expect(
      redactionProblem(
        [
          { x: 10, y: 10, width: 10, height: 10 },
          { x: 2000, y: 0, width: 49, height: 10 },
        ],
        photo,
      ),
    ).toEqual({ index: 1, message: 'goes outside the 2048 x 1536 photo' });
    expect(redactionProblem([{ x: 0, y: 1500, width: 10, height: 37 }], photo)?.index).toBe(0);
    expect(redactionProblem([{ x: -1, y: 0, width: 10, height: 10 }], photo)?.index).toBe(0);
  });

  it('refuses a rectangle without area', () => {
    expect(redactionProblem([{ x: 5, y: 5, width: 0, height: 10 }], photo)).toEqual({
      index: 0,
      message: 'has no area',
    });
  });
});

describe('RedactionBody', () => {
  const ok = { x: 1, y: 2, width: 3, height: 4 };
  it('takes whole pixels, a style and what to do with the original', () => {
    expect(RedactionBody.parse({ rectangles: [ok], original: 'keep' })).toEqual({
      rectangles: [ok],
      style: 'fill',
      original: 'keep',
    });
  });

  it('refuses zero area, negative or fractional pixels, strings, too many rectangles, unknown fields', () => {
    const bad = [
      { rectangles: [{ ...ok, width: 0 }], original: 'keep' },
      { rectangles: [{ ...ok, height: -2 }], original: 'keep' },
      { rectangles: [{ ...ok, x: -1 }], original: 'keep' },
      { rectangles: [{ ...ok, y: 0.5 }], original: 'keep' },
      { rectangles: [{ ...ok, x: '1' }], original: 'keep' },
      { rectangles: [{ ...ok, x: Number.NaN }], original: 'keep' },
      { rectangles: Array.from({ length: REDACTION.maxRectangles + 1 }, () => ok), original: 'keep' },
      { rectangles: [], original: 'keep' },
      { rectangles: [ok], original: 'archive' },
      { rectangles: [ok], original: 'keep', style: 'emoji' },
      { rectangles: [{ ...ok, z: 1 }], original: 'keep' },
    ];
    for (const b of bad) expect(RedactionBody.safeParse(b).success, JSON.stringify(b)).toBe(false);
    expect(
      RedactionBody.safeParse({
        rectangles: Array.from({ length: REDACTION.maxRectangles }, () => ok),
        original: 'delete',
      }).success,
    ).toBe(true);
  });
});

describe('rectFromDrag', () => {
  const shown = { width: 512, height: 384 };
  it('maps a drag on the displayed photo to stored pixels, in any direction', () => {
    expect(rectFromDrag({ x: 10, y: 20 }, { x: 110, y: 70 }, shown, photo)).toEqual({
      x: 40,
      y: 80,
      width: 400,
      height: 200,
    });
    expect(rectFromDrag({ x: 110, y: 70 }, { x: 10, y: 20 }, shown, photo)).toEqual(
      rectFromDrag({ x: 10, y: 20 }, { x: 110, y: 70 }, shown, photo),
    );
  });

  it('widens to whole pixels outwards and clamps to the photo', () => {
    const r = rectFromDrag({ x: 0.1, y: 0.1 }, { x: 0.6, y: 0.6 }, shown, photo)!;
    expect(r).toEqual({ x: 0, y: 0, width: 3, height: 3 });
    expect(rectFromDrag({ x: -50, y: 300 }, { x: 600, y: 900 }, shown, photo)).toEqual({
      x: 0,
      y: 1200,
      width: 2048,
      height: 336,
    });
    expect(
      redactionProblem([rectFromDrag({ x: -9, y: -9 }, { x: 999, y: 999 }, shown, photo)!], photo),
    ).toBeUndefined();
  });

  it('gives nothing for a click or a drag outside the photo', () => {
    expect(rectFromDrag({ x: 40, y: 40 }, { x: 40, y: 40 }, shown, photo)).toBeUndefined();
    expect(rectFromDrag({ x: 600, y: 10 }, { x: 700, y: 90 }, shown, photo)).toBeUndefined();
    expect(rectFromDrag({ x: 1, y: 1 }, { x: 5, y: 5 }, { width: 0, height: 0 }, photo)).toBeUndefined();
  });
});

describe('priorityAfterCategoryChange', () => {
  it('follows the new default when the priority was the old default', () => {
    expect(priorityAfterCategoryChange({ current: 'normal', oldDefault: 'normal', newDefault: 'high' })).toBe(
      'high',
    );
  });
  it('keeps a priority someone chose', () => {
    expect(priorityAfterCategoryChange({ current: 'danger', oldDefault: 'normal', newDefault: 'low' })).toBe(
      'danger',
    );
  });
  it('lets an explicit priority win', () => {
    expect(
      priorityAfterCategoryChange({
        current: 'normal',
        oldDefault: 'normal',
        newDefault: 'high',
        requested: 'low',
      }),
    ).toBe('low');
  });
});

describe('photoIsPublic', () => {
  const yes = {
    communePhotosPublic: true,
    moderatedAt: '2026-12-01T10:00:00Z',
    photoHidden: false,
    reportHidden: false,
  };
  it('needs the commune setting, an approval, and nothing hidden', () => {
    expect(photoIsPublic(yes)).toBe(true);
    expect(photoIsPublic({ ...yes, communePhotosPublic: false })).toBe(false);
    expect(photoIsPublic({ ...yes, moderatedAt: null })).toBe(false);
    expect(photoIsPublic({ ...yes, photoHidden: true })).toBe(false);
    expect(photoIsPublic({ ...yes, reportHidden: true })).toBe(false);
  });
});

describe('edit and moderation bodies', () => {
  it('need something to change', () => {
    expect(ReportEditBody.safeParse({ reason: 'because' }).success).toBe(false);
    expect(ReportEditBody.safeParse({ priority: 'danger' }).success).toBe(true);
    expect(ReportModerationBody.safeParse({}).success).toBe(false);
    expect(ReportModerationBody.parse({ publicDescription: '  ' })).toEqual({ publicDescription: '' });
  });
  it('merge each duplicate once', () => {
    const id = '6f1c2a10-9d7e-4c1b-8a55-0d5c1e2b3f4a';
    expect(MergeBody.safeParse({ duplicates: [id, id.toUpperCase()] }).success).toBe(false);
    expect(MergeBody.safeParse({ duplicates: [id] }).success).toBe(true);
  });
});

describe('report permissions (issue 6)', () => {
  it('gives triage and moderation to supervisors, notes to everyone, originals to admins', () => {
    expect(ROLE_PERMISSIONS.supervisor).toEqual(
      expect.arrayContaining(['reports:triage', 'reports:moderate', 'reports:note']),
    );
    expect(ROLE_PERMISSIONS.crew).toContain('reports:note');
    expect(ROLE_PERMISSIONS.crew).not.toContain('reports:triage');
    expect(ROLE_PERMISSIONS.admin).toEqual(expect.arrayContaining(['reports:note', 'photos:original']));
    expect(ROLE_PERMISSIONS.admin).not.toContain('reports:moderate');
    expect(ROLE_PERMISSIONS.supervisor).not.toContain('photos:original');
  });
});

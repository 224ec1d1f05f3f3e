import type { CategoryView } from '../../../server/src/contract/communes';
import type { LocalReport, ReportFields } from '../offline/db';
import type { Place } from './location';
import type { PhotoMetadata } from './photos/exif';
import type { ProcessedPhoto } from './photos/resize';

/** A photo in the capture form. */
export interface DraftPhoto {
  key: string;
  status: 'processing' | 'ready' | 'failed';
  /** Object URL of the thumbnail once ready. */
  preview: string | null;
  processed: ProcessedPhoto | null;
  metadata: PhotoMetadata | null;
  /** Picked from the gallery (its EXIF position is worth offering) rather than just taken. */
  fromGallery: boolean;
}

/** What the person entered, ready to become a report. */
export interface Draft {
  photos: DraftPhoto[];
  place: Place;
  category: CategoryView;
  commune: { id: number; name: string } | null;
  description: string;
  email: string;
  /** The app's language: kept with the email (and only then) for notification emails. */
  locale?: 'fr' | 'en';
}

function round(n: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(n * f) / f;
}

/**
 * Turns the form into the report to queue: fields exactly as they will be sent (fixed now, so
 * every retry is byte-identical), the category's labels for offline display, the first thumb.
 * The capture time is the first photo's EXIF date when it has one (a gallery photo taken
 * earlier), else now. Pure apart from the inputs.
 */
export function buildReport(draft: Draft, id: string, now: Date): { report: LocalReport; photos: Blob[] } {
  const ready = draft.photos.filter((p) => p.status === 'ready' && p.processed);
  const takenAt = ready.find((p) => p.metadata?.takenAt)?.metadata?.takenAt ?? null;
  const description = draft.description.trim();
  const email = draft.email.trim();
  const fields: ReportFields = {
    category: draft.category.code,
    lat: round(draft.place.lat, 6),
    lon: round(draft.place.lon, 6),
    accuracy: Math.max(0, round(draft.place.accuracy, 1)),
    locationSource: draft.place.source,
    capturedAt: (takenAt ?? now).toISOString(),
    ...(description ? { description } : {}),
    ...(email ? { contactEmail: email } : {}),
    ...(email && draft.locale ? { locale: draft.locale } : {}),
  };
  return {
    report: {
      id,
      createdAt: now.getTime(),
      fields,
      category: {
        code: draft.category.code,
        labelFr: draft.category.labelFr,
        labelEn: draft.category.labelEn,
        icon: draft.category.icon,
      },
      commune: draft.commune,
      photoCount: ready.length,
      thumb: ready[0]?.processed?.thumb ?? null,
    },
    photos: ready.map((p) => p.processed!.blob),
  };
}

/** Checks the fields against the shared contract (loaded on demand: zod is not needed to show the screen). */
export async function validateFields(
  fields: ReportFields,
): Promise<{ field: string; message: string } | null> {
  let schema;
  try {
    schema = (await import('../../../server/src/contract/reports')).CreateReportFields;
  } catch {
    return null; // the chunk could not load (first visit, then offline): the server still checks
  }
  const result = schema.safeParse(fields);
  if (result.success) return null;
  const issue = result.error.issues[0];
  return { field: String(issue?.path[0] ?? ''), message: issue?.message ?? 'invalid' };
}

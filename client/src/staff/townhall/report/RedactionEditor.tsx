import { useEffect, useId, useRef, useState, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  REDACTION,
  rectFromDrag,
  redactionProblem,
  type DisplayPoint,
  type RedactionRect,
  type RedactionStyle,
} from '../../../../../server/src/contract/moderation';
import type { StaffPhotoView } from '../../../../../server/src/contract/staff';
import { drawRedactionPreview } from './redactionPreview';

/** What the moderator chose to apply. */
export interface RedactionChoice {
  rectangles: RedactionRect[];
  style: RedactionStyle;
  original: 'keep' | 'delete';
}

const pct = (v: number, of: number) => `${(v / of) * 100}%`;

/**
 * Drawing the areas to redact on a photo: rectangles drawn with a mouse, a finger or a pen
 * (pointer events, no scrolling while drawing), or typed in pixels; removable one by one;
 * a preview of the result; the choice to keep the original for admins or to delete it.
 */
export function RedactionEditor({
  photo,
  src,
  busy,
  onApply,
  onCancel,
}: {
  photo: StaffPhotoView;
  src: string;
  busy: boolean;
  onApply: (choice: RedactionChoice) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const natural = { width: photo.width, height: photo.height };
  const [rects, setRects] = useState<RedactionRect[]>([]);
  const [drag, setDrag] = useState<{ a: DisplayPoint; b: DisplayPoint } | null>(null);
  const [style, setStyle] = useState<RedactionStyle>('fill');
  const [original, setOriginal] = useState<'keep' | 'delete'>('keep');
  const [preview, setPreview] = useState(false);
  const [typed, setTyped] = useState({ x: '', y: '', width: '', height: '' });
  const [typedError, setTypedError] = useState('');
  const [error, setError] = useState('');
  const area = useRef<HTMLDivElement>(null);
  const img = useRef<HTMLImageElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const originalGone = photo.redacted && !photo.originalKept;

  const shown = () => {
    const box = area.current?.getBoundingClientRect();
    return { box, size: { width: box?.width ?? 0, height: box?.height ?? 0 } };
  };
  const point = (e: PointerEvent): DisplayPoint => {
    const { box } = shown();
    return { x: e.clientX - (box?.left ?? 0), y: e.clientY - (box?.top ?? 0) };
  };
  const add = (r: RedactionRect | undefined) => {
    if (!r) return;
    setRects((old) => (old.length >= REDACTION.maxRectangles ? old : [...old, r]));
    setError('');
  };

  useEffect(() => {
    if (preview && canvas.current && img.current?.complete)
      drawRedactionPreview(canvas.current, img.current, natural, rects, style);
  });

  const live = drag ? rectFromDrag(drag.a, drag.b, shown().size, natural) : undefined;
  const box = (r: RedactionRect) => ({
    left: pct(r.x, natural.width),
    top: pct(r.y, natural.height),
    width: pct(r.width, natural.width),
    height: pct(r.height, natural.height),
  });

  const addTyped = () => {
    const r = {
      x: Number(typed.x),
      y: Number(typed.y),
      width: Number(typed.width),
      height: Number(typed.height),
    };
    const whole = Object.values(r).every((v) => Number.isInteger(v));
    if (!whole || redactionProblem([r], natural)) return setTypedError(t('moderation.photo.badZone'));
    setTypedError('');
    add(r);
    setTyped({ x: '', y: '', width: '', height: '' });
  };

  return (
    <div className="ra-redact">
      <p id={`${id}-hint`}>{t('moderation.photo.drawHint')}</p>
      <div
        ref={area}
        className="ra-draw"
        role="group"
        aria-label={t('moderation.photo.drawArea', { n: photo.n })}
        aria-describedby={`${id}-hint`}
        data-testid={`draw-${photo.n}`}
        onPointerDown={(e) => {
          if (e.button !== 0) return;
          e.preventDefault();
          e.currentTarget.setPointerCapture(e.pointerId);
          const p = point(e);
          setDrag({ a: p, b: p });
        }}
        onPointerMove={(e) => drag && setDrag({ a: drag.a, b: point(e) })}
        onPointerUp={(e) => {
          if (!drag) return;
          add(rectFromDrag(drag.a, point(e), shown().size, natural));
          setDrag(null);
        }}
        onPointerCancel={() => setDrag(null)}
      >
        <img ref={img} src={src} alt={t('moderation.photo.alt', { n: photo.n })} draggable={false} />
        {rects.map((r, i) => (
          <span key={i} className="ra-zone" style={box(r)} aria-hidden="true">
            {i + 1}
          </span>
        ))}
        {live && <span className="ra-zone ra-zone-live" style={box(live)} aria-hidden="true" />}
      </div>

      <p role="status" data-testid={`zones-${photo.n}`}>
        {t('moderation.photo.zones', { count: rects.length })}
      </p>
      {rects.length > 0 && (
        <ol className="ra-zones">
          {rects.map((r, i) => (
            <li key={i}>
              {t('moderation.photo.zone', { n: i + 1, ...r })}{' '}
              <button
                type="button"
                className="staff-small-button"
                onClick={() => setRects(rects.filter((_, j) => j !== i))}
              >
                {t('moderation.photo.removeZone', { n: i + 1 })}
              </button>
            </li>
          ))}
        </ol>
      )}

      <fieldset className="ra-fieldset">
        <legend>{t('moderation.photo.byNumbers', natural)}</legend>
        <div className="ra-row">
          {(['x', 'y', 'width', 'height'] as const).map((k) => (
            <div key={k} className="ra-field ra-narrow">
              <label htmlFor={`${id}-${k}`}>{t(`moderation.photo.${k}`)}</label>
              <input
                id={`${id}-${k}`}
                type="number"
                min={0}
                step={1}
                value={typed[k]}
                aria-invalid={typedError ? true : undefined}
                onChange={(e) => setTyped({ ...typed, [k]: e.target.value })}
              />
            </div>
          ))}
          <button type="button" className="staff-small-button ra-end" onClick={addTyped}>
            {t('moderation.photo.add')}
          </button>
        </div>
        {typedError && (
          <p role="alert" className="ra-error">
            {typedError}
          </p>
        )}
      </fieldset>

      <fieldset className="ra-fieldset">
        <legend>{t('moderation.photo.style')}</legend>
        {(['fill', 'blur'] as const).map((s) => (
          <label key={s} className="ra-check">
            <input type="radio" name={`${id}-style`} checked={style === s} onChange={() => setStyle(s)} />
            <span>{t(`moderation.photo.${s}`)}</span>
          </label>
        ))}
      </fieldset>
      {originalGone ? (
        <p className="staff-muted">{t('moderation.photo.originalDeleted')}</p>
      ) : (
        <fieldset className="ra-fieldset">
          <legend>{t('moderation.photo.original')}</legend>
          {(['keep', 'delete'] as const).map((o) => (
            <label key={o} className="ra-check">
              <input
                type="radio"
                name={`${id}-original`}
                checked={original === o}
                onChange={() => setOriginal(o)}
              />
              <span>{t(`moderation.photo.${o}`)}</span>
            </label>
          ))}
        </fieldset>
      )}

      {preview && rects.length > 0 && (
        <figure className="ra-preview">
          <canvas ref={canvas} role="img" aria-label={t('moderation.photo.previewAlt', { n: photo.n })} />
        </figure>
      )}
      {error && (
        <p role="alert" className="ra-error">
          {error}
        </p>
      )}
      <div className="ra-inline">
        <button
          type="button"
          className="staff-small-button"
          disabled={rects.length === 0}
          aria-pressed={preview}
          onClick={() => setPreview(!preview)}
        >
          {t('moderation.photo.preview')}
        </button>
        <button
          type="button"
          className="ra-button"
          disabled={busy}
          onClick={() => {
            if (rects.length === 0) return setError(t('moderation.photo.noZones'));
            onApply({ rectangles: rects, style, original: originalGone ? 'delete' : original });
          }}
        >
          {busy ? t('moderation.working') : t('moderation.photo.apply')}
        </button>
        <button type="button" className="staff-small-button" disabled={busy} onClick={onCancel}>
          {t('moderation.photo.cancel')}
        </button>
      </div>
    </div>
  );
}

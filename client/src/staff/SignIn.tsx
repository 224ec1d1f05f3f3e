import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeAnswer } from '../../../server/src/contract/auth';
import { ApiError, login } from './api';

type Field = 'email' | 'password' | 'totp';

/** What went wrong, as shown: one message, and the field to fix when there is one. */
interface Problem {
  message: string;
  field?: Field;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The staff sign-in form: email, password, "keep me signed in" (off by default, explained),
 * and the TOTP code once the server asks for it. Errors are announced (role="alert"), the field
 * at fault is marked invalid, described by the message, and focused.
 */
export function SignIn({ onSignedIn }: { onSignedIn: (me: MeAnswer) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [remember, setRemember] = useState(false);
  const [totp, setTotp] = useState('');
  const [askTotp, setAskTotp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();
  const refs = {
    email: useRef<HTMLInputElement>(null),
    password: useRef<HTMLInputElement>(null),
    totp: useRef<HTMLInputElement>(null),
  };

  useEffect(() => {
    if (problem?.field) refs[problem.field].current?.focus();
  }, [problem]);

  function check(): Problem | undefined {
    if (!email.trim()) return { message: t('errors.emailMissing'), field: 'email' };
    if (!EMAIL.test(email.trim())) return { message: t('errors.emailInvalid'), field: 'email' };
    if (!password) return { message: t('errors.passwordMissing'), field: 'password' };
    if (askTotp && !/^\d{6}$/.test(totp.replace(/\s+/g, '')))
      return { message: t('errors.totpFormat'), field: 'totp' };
    return undefined;
  }

  function explain(err: unknown): Problem {
    if (!(err instanceof ApiError)) return { message: t('errors.server') };
    switch (err.code) {
      case 'invalid_credentials':
        return { message: t('errors.invalid_credentials'), field: 'password' };
      case 'totp_required':
        setAskTotp(true);
        return { message: t('errors.totp_required'), field: 'totp' };
      case 'invalid_totp':
        setTotp('');
        return { message: t('errors.invalid_totp'), field: 'totp' };
      case 'rate_limited':
        return {
          message: t('errors.rate_limited', { count: Math.max(1, Math.ceil((err.retryAfter ?? 60) / 60)) }),
        };
      case 'https_required':
      case 'csrf_rejected':
      case 'network':
        return { message: t(`errors.${err.code}`) };
      case 'invalid_request':
        return err.field === 'email'
          ? { message: t('errors.emailInvalid'), field: 'email' }
          : { message: t('errors.server') };
      default:
        return { message: t('errors.server') };
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const local = check();
    setProblem(local);
    if (local) return;
    setBusy(true);
    try {
      const me = await login({
        email: email.trim(),
        password,
        remember,
        ...(askTotp ? { totp: totp.replace(/\s+/g, '') } : {}),
      });
      setPassword('');
      onSignedIn(me);
    } catch (err) {
      setProblem(explain(err));
    } finally {
      setBusy(false);
    }
  }

  const errorId = `${id}-error`;
  const invalid = (f: Field) =>
    problem?.field === f ? { 'aria-invalid': true as const, 'aria-describedby': errorId } : {};

  return (
    <form className="staff-card" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t('signIn.heading')}</h1>
      <p className="staff-muted">{t('signIn.intro')}</p>

      <div role="alert" aria-live="assertive" className={problem ? 'staff-error' : 'staff-error-empty'}>
        {problem && (
          <>
            <strong>{t('errors.heading')}</strong>
            <p id={errorId}>{problem.message}</p>
          </>
        )}
      </div>

      <div className="staff-field">
        <label htmlFor={`${id}-email`}>{t('signIn.email')}</label>
        <input
          ref={refs.email}
          id={`${id}-email`}
          name="email"
          type="email"
          inputMode="email"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          {...invalid('email')}
        />
      </div>

      <div className="staff-field">
        <label htmlFor={`${id}-password`}>{t('signIn.password')}</label>
        <input
          ref={refs.password}
          id={`${id}-password`}
          name="password"
          type={showPassword ? 'text' : 'password'}
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          {...invalid('password')}
        />
        <label className="staff-check staff-small">
          <input type="checkbox" checked={showPassword} onChange={(e) => setShowPassword(e.target.checked)} />
          {t('signIn.showPassword')}
        </label>
      </div>

      {askTotp && (
        <div className="staff-field">
          <label htmlFor={`${id}-totp`}>{t('signIn.totp')}</label>
          <p id={`${id}-totp-hint`} className="staff-hint">
            {t('signIn.totpHint')}
          </p>
          <input
            ref={refs.totp}
            id={`${id}-totp`}
            name="totp"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9 ]*"
            maxLength={7}
            value={totp}
            onChange={(e) => setTotp(e.target.value)}
            aria-describedby={problem?.field === 'totp' ? `${errorId} ${id}-totp-hint` : `${id}-totp-hint`}
            {...(problem?.field === 'totp' ? { 'aria-invalid': true as const } : {})}
          />
        </div>
      )}

      <div className="staff-field">
        <label className="staff-check">
          <input
            type="checkbox"
            name="remember"
            checked={remember}
            onChange={(e) => setRemember(e.target.checked)}
            aria-describedby={`${id}-remember-hint`}
          />
          {t('signIn.remember')}
        </label>
        <p id={`${id}-remember-hint`} className="staff-hint">
          {t('signIn.rememberHint')}
        </p>
      </div>

      <button type="submit" className="staff-button" disabled={busy} aria-busy={busy}>
        {busy ? t('signIn.submitting') : t('signIn.submit')}
      </button>
      <p className="staff-hint">{t('signIn.forgotten')}</p>
    </form>
  );
}

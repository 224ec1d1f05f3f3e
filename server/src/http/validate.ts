import type { z } from 'zod';
import { ValidationError } from '../errors';

/**
 * Parses `value` with a contract schema; on failure throws a 400 naming the first bad field,
 * so the client can point at it.
 */
export function parse<S extends z.ZodType>(schema: S, value: unknown, code = 'invalid_request'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  // Array indices are dropped: `status=new,lost` blames `status`, the name the client sent.
  const names = issue ? issue.path.filter((p): p is string => typeof p === 'string') : [];
  const field = names.length > 0 ? names.join('.') : undefined;
  let message = issue?.message ?? 'Invalid request.';
  if (issue?.code === 'unrecognized_keys') message = `Unknown field(s): ${issue.keys.join(', ')}.`;
  else if (issue?.code === 'invalid_type' && issue.input === undefined) message = 'is required';
  throw ValidationError(field ? `${field}: ${message}` : message, field ?? keysOf(issue), code);
}

function keysOf(issue: z.core.$ZodIssue | undefined): string | undefined {
  return issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
}

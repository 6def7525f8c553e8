/**
 * @module
 * Routes that take JSON or multipart: which one a request sent, the schema of a form value, and the form's
 * modality parts. (Other content types never get here: the route's media-type gate answers 415.)
 */
import { z } from '@hono/zod-openapi';
import { ApiError } from '../problem.ts';
import type { InputValue } from './raw-input.ts';

export type BodyKind = 'json' | 'form';

const formType = /^\s*(multipart\/form-data|application\/x-www-form-urlencoded)\b/i;

/** The kind of body sent; a 400 problem for a request without one. */
export function bodyKind(contentType: string | undefined): BodyKind {
  if (contentType === undefined || contentType.trim() === '') {
    throw new ApiError(400, 'empty-body', 'send a JSON body (application/json) or multipart/form-data');
  }
  return formType.test(contentType) ? 'form' : 'json';
}

/** A form field or file part; a repeated name arrives as an array and fails validation. */
export const FormValueSchema = z
  .union([z.string(), z.instanceof(File)])
  .openapi({ type: 'string', format: 'binary', description: 'A file part, or a string as in JSON.' });

export type FormFields = Readonly<Record<string, InputValue>>;

/** The form's parts except the named control fields: one input per modality. */
export function formInputs(form: FormFields, controls: readonly string[]): Record<string, InputValue> {
  return Object.fromEntries(Object.entries(form).filter(([name]) => !controls.includes(name)));
}

/** A JSON-encoded form field (such as `fusion`), checked against its schema. */
export function jsonField<T extends z.ZodType>(
  form: FormFields,
  name: string,
  schema: T,
): z.infer<T> | undefined {
  const value = form[name];
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : '');
  } catch {
    throw new ApiError(400, 'invalid-request', `the ${name} field must be a JSON string`);
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({
      path: [name, ...issue.path.map(String)].join('.'),
      message: issue.message,
    }));
    throw new ApiError(400, 'invalid-request', `the ${name} field is invalid: ${issues[0]?.message}`, {
      extensions: { issues },
    });
  }
  return result.data;
}

/**
 * @module
 * Runs one line of a batch through the app's own route (`app.fetch`, as the batch's tenant), and sorts the answer:
 * a 2xx goes to the output file; a 4xx other than 429 is the line's own fault and goes to the error file, once;
 * a 429 or 5xx (backend down, overloaded, a crash of ours) is for us to retry later. An answer's tokens are
 * counted, and of them those the embedding cache answered.
 */
import type { Tenant } from '../tenants/tenant.ts';
import { asTenant } from './identity.ts';
import { resultLine, type LineResult } from './record.ts';
import type { BatchLine } from './schema.ts';

/** The app's `fetch`, which every line goes through. */
export type AppFetch = (request: Request, env: Env, ctx: ExecutionContext) => Response | Promise<Response>;

export type LineRun =
  { readonly retry: true; readonly status: number } | { readonly retry: false; readonly result: LineResult };

/** Internal requests never leave the isolate; the origin only gives the URL a shape. */
const origin = 'https://batch.internal';

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The input tokens an answer reports (embeddings' `usage.prompt_tokens`); 0 for answers without usage. */
function promptTokens(body: unknown): number {
  const usage = (body as { usage?: { prompt_tokens?: unknown } } | null)?.usage;
  const tokens = usage?.prompt_tokens;
  return typeof tokens === 'number' && Number.isSafeInteger(tokens) && tokens > 0 ? tokens : 0;
}

/**
 * Of a line's `tokens`, those its inputs found in the embedding cache: the app's `Server-Timing` says how many
 * inputs the cache answered (`cache-hits;desc="2/3"`); a partial hit counts its share, rounded down.
 */
function cachedTokens(response: Response, tokens: number): number {
  const hits = /cache-hits;desc="(\d+)\/(\d+)"/.exec(response.headers.get('server-timing') ?? '');
  const [found, of] = [Number(hits?.[1] ?? 0), Number(hits?.[2] ?? 0)];
  return of > 0 && found <= of ? Math.floor((tokens * found) / of) : 0;
}

export async function runLine(
  fetch: AppFetch,
  context: { env: Env; ctx: ExecutionContext; tenant: Tenant },
  index: number,
  line: BatchLine,
): Promise<LineRun> {
  const request = new Request(`${origin}${line.url}`, {
    method: line.method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(line.body),
  });
  const response = await fetch(asTenant(request, context.tenant), context.env, context.ctx);
  const status = response.status;
  if (status === 429 || status >= 500) {
    await response.body?.cancel();
    return { retry: true, status };
  }
  const answer = {
    status_code: status,
    request_id: response.headers.get('x-request-id') ?? '',
    body: await bodyOf(response),
  };
  const outcome = status < 300 ? 'output' : 'error';
  const text = resultLine(line.custom_id, answer, null);
  const tokens = promptTokens(answer.body);
  const cached = cachedTokens(response, tokens);
  return { retry: false, result: { line: index, outcome, text, tokens, cachedTokens: cached } };
}

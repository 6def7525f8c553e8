/**
 * @module
 * Example: the same API through OpenAI's own SDK, unchanged but for the base URL (embeddings and models only).
 * `npx tsx client/examples/openai-sdk.ts [base URL]`.
 */
import OpenAI from 'openai';

const openai = new OpenAI({
  baseURL: `${process.argv[2] ?? 'http://127.0.0.1:8787'}/v1`,
  apiKey: process.env.MODALFUSE_API_KEY ?? 'unused-in-open-mode',
});

const result = await openai.embeddings.create({ model: 'use-lite', input: 'hello' });
console.log(result.data[0]?.embedding.length, result.usage);

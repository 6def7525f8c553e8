import { createServer } from 'node:http';
import type { TestProject } from 'vitest/node';

export default async function setup(project: TestProject) {
  const server = createServer((_req, res) => res.end('hello from node'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  project.provide('backendUrl' as never, `http://127.0.0.1:${address.port}` as never);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

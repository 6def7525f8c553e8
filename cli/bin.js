#!/usr/bin/env node
// The `modalfuse` bin: the CLI is TypeScript and the repository has no build step, so tsx's loader runs it.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');

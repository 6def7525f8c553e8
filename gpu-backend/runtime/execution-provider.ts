/**
 * @module
 * Choosing onnxruntime's execution provider at start. CUDA is tried when asked for (or on `auto`), WebGPU when
 * asked for (onnxruntime-node bundles it; it runs on Vulkan, e.g. NVIDIA's driver, and needs `libvulkan.so.1`), and
 * every failure falls back to CPU with a warning naming the reason: never silently, and never refusing to start,
 * so a GPU host with a broken driver still serves (slowly) and says why. The probe that tries the provider is
 * injected, so the choice is tested without a GPU.
 */
import type { InferenceSession } from 'onnxruntime-node';

export const PROVIDER_CHOICES = ['auto', 'cuda', 'webgpu', 'cpu'] as const;
export type ProviderChoice = (typeof PROVIDER_CHOICES)[number];
export type ExecutionProvider = 'cuda' | 'webgpu' | 'cpu';
/** onnxruntime's names (`listSupportedBackends()`) and ours for the warnings. */
const LABELS = { cuda: 'CUDA', webgpu: 'WebGPU' } as const;

export interface ExecutionSettings {
  readonly requested: ProviderChoice;
  readonly deviceId: number;
  /** onnxruntime's default when absent. */
  readonly intraOpThreads?: number;
}

export interface ProviderDecision {
  readonly provider: ExecutionProvider;
  readonly sessionOptions: InferenceSession.SessionOptions;
  /** Set when a GPU provider was wanted but the CPU is used: the line to print as a warning. */
  readonly warning?: string;
}

function nonNegativeInteger(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) {
    throw new Error(`${name} must be an integer ≥ ${min}, got "${value}"`);
  }
  return parsed;
}

/** Reads `MODALFUSE_EXECUTION_PROVIDER`, `MODALFUSE_CUDA_DEVICE_ID`, `MODALFUSE_INTRA_OP_THREADS`. */
export function parseExecutionSettings(env: Readonly<Record<string, string | undefined>>): ExecutionSettings {
  const raw = (env.MODALFUSE_EXECUTION_PROVIDER ?? '').trim().toLowerCase() || 'auto';
  if (!(PROVIDER_CHOICES as readonly string[]).includes(raw)) {
    throw new Error(
      `MODALFUSE_EXECUTION_PROVIDER must be one of ${PROVIDER_CHOICES.join(', ')}, got "${raw}"`,
    );
  }
  const deviceId = nonNegativeInteger('MODALFUSE_CUDA_DEVICE_ID', env.MODALFUSE_CUDA_DEVICE_ID, 0) ?? 0;
  const intraOpThreads = nonNegativeInteger('MODALFUSE_INTRA_OP_THREADS', env.MODALFUSE_INTRA_OP_THREADS, 1);
  return { requested: raw as ProviderChoice, deviceId, ...(intraOpThreads ? { intraOpThreads } : {}) };
}

/** onnxruntime's `session.intra_op.allow_spinning` = 0 (a session config entry). */
const NO_SPINNING = { session: { intra_op: { allow_spinning: '0' } } };

export function sessionOptionsFor(
  provider: ExecutionProvider,
  settings: ExecutionSettings,
): InferenceSession.SessionOptions {
  const threads = {
    ...(settings.intraOpThreads ? { intraOpNumThreads: settings.intraOpThreads } : {}),
    // onnxruntime's pool threads spin between operators by default; here they share the cores with the HTTP
    // thread and other models' sessions, and spinning cost about a third more CPU per item under load.
    extra: NO_SPINNING,
  };
  if (provider === 'cpu') return { executionProviders: ['cpu'], ...threads };
  // CPU stays listed so that operators the GPU provider lacks still run.
  if (provider === 'webgpu') return { executionProviders: ['webgpu', 'cpu'], ...threads };
  return { executionProviders: [{ name: 'cuda', deviceId: settings.deviceId }, 'cpu'], ...threads };
}

export interface ProviderProbe {
  /** The backends this onnxruntime-node build knows (`listSupportedBackends()`). */
  supportedBackends(): readonly { name: string }[];
  /** Creates and runs a tiny session with these options; rejects when the provider cannot start. */
  tryStart(options: InferenceSession.SessionOptions): Promise<void>;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // onnxruntime appends its own log lines (with ANSI colours) to the message; the first line is the cause.
  // eslint-disable-next-line no-control-regex -- the escape character is exactly what is stripped
  return (text.split('\n')[0] ?? '').replace(/\u001b\[[0-9;]*m/g, '').trim() || 'unknown error';
}

/** Decides on CUDA, WebGPU or CPU; every way of not getting the GPU provider that was asked for yields a warning. */
export async function chooseExecutionProvider(
  settings: ExecutionSettings,
  probe: ProviderProbe,
): Promise<ProviderDecision> {
  const cpu = { provider: 'cpu', sessionOptions: sessionOptionsFor('cpu', settings) } as const;
  if (settings.requested === 'cpu') return cpu;
  const wanted = settings.requested === 'webgpu' ? 'webgpu' : 'cuda';
  const label = LABELS[wanted];
  const fallBack = (reason: string) => ({
    ...cpu,
    warning: `MODALFUSE_EXECUTION_PROVIDER=${settings.requested}: ${reason}; falling back to CPU`,
  });
  const backends = probe.supportedBackends().map((backend) => backend.name);
  if (!backends.includes(wanted)) {
    return fallBack(
      `this onnxruntime-node build has no ${label} execution provider (backends: ${backends.join(', ')})`,
    );
  }
  const options = sessionOptionsFor(wanted, settings);
  try {
    await probe.tryStart(options);
  } catch (error) {
    const where = wanted === 'cuda' ? ` on device ${settings.deviceId}` : '';
    return fallBack(`${label} execution provider failed to start${where}: ${firstLine(error)}`);
  }
  return { provider: wanted, sessionOptions: options };
}

/**
 * @module
 * The Worker's secrets (docs/configuration.md, docs/operating.md) and where each value comes from: set already
 * (`wrangler secret list`), the environment variable of the same name, or a prompt when stdin is a terminal. Pure
 * but for the prompt it is given. What is decided before anything in the account changes: a missing required secret
 * or half an Access service token stops the deploy here.
 */
export interface SecretSpec {
  readonly name: string;
  /** Asked for on a terminal and required elsewhere (unless already set). */
  readonly required: boolean;
  readonly why: string;
}

export const SECRETS: readonly SecretSpec[] = [
  { name: 'BACKEND_TOKEN', required: true, why: "the backend's MODALFUSE_BACKEND_TOKEN, sent as its bearer" },
  {
    name: 'API_KEY_HASHES',
    required: true,
    why: 'name:sha256hex[:scope[:tenant]],… — without it the API is open to anyone (deploy --open allows that)',
  },
  {
    name: 'BACKEND_ACCESS_CLIENT_ID',
    required: false,
    why: 'Cloudflare Access service token id (with the secret)',
  },
  {
    name: 'BACKEND_ACCESS_CLIENT_SECRET',
    required: false,
    why: 'Cloudflare Access service token secret (with the id)',
  },
  { name: 'HF_TOKEN', required: false, why: 'only with provider models in MODELS' },
];

export interface SecretInputs {
  /** Names `wrangler secret list` shows (none before the first deploy). */
  readonly existing: ReadonlySet<string>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** An open API was asked for (`--open`): API_KEY_HASHES is then not required. */
  readonly open: boolean;
  /** Asks for a value on the terminal (empty: skip); undefined when stdin is not one. */
  readonly ask?: ((spec: SecretSpec) => Promise<string>) | undefined;
}

export interface SecretPlan {
  /** Values to upload with the deployment. */
  readonly upload: Record<string, string>;
  /** Secrets left as they are in the account. */
  readonly kept: string[];
}

const ACCESS_PAIR = ['BACKEND_ACCESS_CLIENT_ID', 'BACKEND_ACCESS_CLIENT_SECRET'] as const;

async function valueOf(spec: SecretSpec, inputs: SecretInputs): Promise<string> {
  const fromEnv = inputs.env[spec.name]?.trim();
  if (fromEnv) return fromEnv;
  const needed = spec.required && !(spec.name === 'API_KEY_HASHES' && inputs.open);
  if (inputs.ask && (needed || spec.name.startsWith('BACKEND_ACCESS')))
    return (await inputs.ask(spec)).trim();
  return '';
}

export async function planSecrets(inputs: SecretInputs): Promise<SecretPlan> {
  const upload: Record<string, string> = {};
  const kept: string[] = [];
  const missing: string[] = [];
  for (const spec of SECRETS) {
    if (inputs.existing.has(spec.name) && !inputs.env[spec.name]?.trim()) {
      kept.push(spec.name);
      continue;
    }
    const value = await valueOf(spec, inputs);
    if (value) upload[spec.name] = value;
    else if (spec.required && !(spec.name === 'API_KEY_HASHES' && inputs.open)) missing.push(spec.name);
  }
  if (missing.length > 0) {
    const lines = missing.map(
      (name) => `  ${name}: ${SECRETS.find((spec) => spec.name === name)?.why ?? ''}`,
    );
    throw new Error(
      `missing secrets (set them in the environment, or run on a terminal):\n${lines.join('\n')}`,
    );
  }
  const halves = ACCESS_PAIR.filter((name) => name in upload || kept.includes(name));
  if (halves.length === 1) {
    throw new Error(`${halves[0]} without its other half: set both ${ACCESS_PAIR.join(' and ')}, or neither`);
  }
  return { upload, kept };
}

/**
 * The Kubernetes manifests, each document validated against the Kubernetes API's published OpenAPI schemas (the
 * `kubernetes-models` package compiles them into validators), then their wiring: what the Service selects, what
 * the probes ask, where the token and the models come from, what the CUDA variant requests. KServe's CRDs ship in no
 * npm package, so the KServe resources are checked field by field, their containers against the core schema.
 */
import { readFileSync } from 'node:fs';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Container, type IContainer } from 'kubernetes-models/v1/Container';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { ResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import { Service } from 'kubernetes-models/v1/Service';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';

type Doc = {
  kind?: string;
  apiVersion?: string;
  metadata?: { name?: string };
  spec?: Record<string, unknown>;
};

function documents(file: string): Doc[] {
  const text = readFileSync(new URL(file, import.meta.url), 'utf8');
  return parseAllDocuments(text).map((doc) => {
    expect(doc.errors).toEqual([]);
    return doc.toJS() as Doc;
  });
}

const models = { Deployment, Service, PersistentVolumeClaim } as const;

/** Throws with the schema's complaints when `doc` is not a valid object of its kind. */
function validate(doc: Doc): void {
  const Model = models[doc.kind as keyof typeof models];
  if (!Model) throw new Error(`no schema for kind ${doc.kind}`);
  new Model(doc as never).validate();
}

const byKind = (docs: Doc[], kind: string) => {
  const found = docs.find((doc) => doc.kind === kind);
  if (!found) throw new Error(`no ${kind}`);
  return found;
};

const kube = (docs: Doc[]) => {
  const deployment = new Deployment(byKind(docs, 'Deployment') as never);
  const pod = deployment.spec?.template.spec;
  const container = pod?.containers[0];
  if (!pod || !container) throw new Error('no pod template');
  const service = new Service(byKind(docs, 'Service') as never);
  const claim = new PersistentVolumeClaim(byKind(docs, 'PersistentVolumeClaim') as never);
  return { deployment, pod, container, service, claim };
};

const env = (container: IContainer, name: string) => container.env?.find((entry) => entry.name === name);

describe.each([
  ['backend.yaml', 'cuda'],
  ['backend-cpu.yaml', 'cpu'],
])('%s', (file, provider) => {
  const docs = documents(`./${file}`);

  it('holds a claim, a Deployment and a Service, each valid against the Kubernetes schema', () => {
    expect(docs.map((doc) => doc.kind)).toEqual(['PersistentVolumeClaim', 'Deployment', 'Service']);
    for (const doc of docs) expect(() => validate(doc)).not.toThrow();
  });

  it('is probed on /v2/health/ready (readiness) and /v2/health/live (liveness), on the port the Service targets', () => {
    const { container, service, deployment } = kube(docs);
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/v2/health/ready', port: 'http' });
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/v2/health/live', port: 'http' });
    expect(container.ports?.map((port) => port.name)).toContain(service.spec?.ports?.[0]?.targetPort);
    expect(service.spec?.selector).toEqual(deployment.spec?.template.metadata?.labels);
    expect(deployment.spec?.selector.matchLabels).toEqual(deployment.spec?.template.metadata?.labels);
  });

  it('mounts the models from its own claim, takes the token from a Secret, outlives the 30 s drain', () => {
    const { pod, container, claim } = kube(docs);
    const volume = pod.volumes?.find((entry) => entry.name === container.volumeMounts?.[0]?.name);
    expect(volume?.persistentVolumeClaim?.claimName).toBe(claim.metadata?.name);
    expect(env(container, 'MODALFUSE_MODEL_REPOSITORY')?.value).toBe(container.volumeMounts?.[0]?.mountPath);
    expect(env(container, 'MODALFUSE_BACKEND_TOKEN')?.valueFrom?.secretKeyRef).toEqual({
      name: 'modalfuse-backend-token',
      key: 'token',
    });
    expect(env(container, 'MODALFUSE_EXECUTION_PROVIDER')?.value).toBe(provider);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(30);
  });

  it(provider === 'cuda' ? 'requests one nvidia.com/gpu' : 'requests no GPU', () => {
    const { container } = kube(docs);
    const gpu = provider === 'cuda' ? 1 : undefined;
    expect(container.resources?.requests?.['nvidia.com/gpu']).toBe(gpu);
    expect(container.resources?.limits?.['nvidia.com/gpu']).toBe(gpu);
    expect(container.resources?.requests?.cpu).toBeDefined();
    expect(container.image).toMatch(new RegExp(`:${provider}$`));
  });
});

describe('the schema check', () => {
  it('refuses what the Kubernetes API would refuse', () => {
    const [claim, deployment] = documents('./backend.yaml');
    const withContainer = (change: Record<string, unknown>) => {
      const copy = structuredClone(deployment) as { spec: { template: { spec: { containers: object[] } } } };
      Object.assign(copy.spec.template.spec.containers[0] ?? {}, change);
      return copy as Doc;
    };
    expect(() => validate(withContainer({ ports: [{ name: 'http', containerPort: '8000' }] }))).toThrow(
      /containerPort must be integer/,
    );
    expect(() => validate(withContainer({ resources: { requests: { 'nvidia.com/gpu': 'one' } } }))).toThrow(
      /must match format "quantity"/,
    );
    expect(() => validate({ ...claim, spec: { accessModes: 'ReadOnlyMany' } })).toThrow(
      /accessModes must be array/,
    );
  });
});

describe('kserve.yaml', () => {
  const [runtime, service] = documents('./kserve.yaml');
  const containers = (runtime?.spec?.containers ?? []) as IContainer[];
  const predictor = service?.spec?.predictor as Record<string, unknown> & {
    model: { modelFormat: { name: string }; runtime: string; protocolVersion: string; resources: object };
  };

  it('is a ServingRuntime and an InferenceService of KServe, the runtime speaking v2', () => {
    expect([runtime?.apiVersion, runtime?.kind]).toEqual(['serving.kserve.io/v1alpha1', 'ServingRuntime']);
    expect([service?.apiVersion, service?.kind]).toEqual(['serving.kserve.io/v1beta1', 'InferenceService']);
    expect(runtime?.spec?.protocolVersions).toEqual(['v2']);
    expect(predictor.model.runtime).toBe(runtime?.metadata?.name);
    expect(predictor.model.protocolVersion).toBe('v2');
    const formats = (runtime?.spec?.supportedModelFormats ?? []) as { name: string }[];
    expect(formats.map((format) => format.name)).toContain(predictor.model.modelFormat.name);
  });

  it("has containers valid against the Kubernetes Container schema, listening where they're probed", () => {
    expect(containers.map((container) => container.name)).toEqual(['kserve-container']);
    const [container] = containers;
    if (!container) throw new Error('no container');
    expect(() => new Container(container).validate()).not.toThrow();
    const port = container.ports?.[0]?.containerPort;
    expect(env(container, 'MODALFUSE_BACKEND_PORT')?.value).toBe(String(port));
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/v2/health/ready', port });
    expect(env(container, 'MODALFUSE_MODEL_REPOSITORY')?.value).toBe('/mnt/models');
    expect(env(container, 'MODALFUSE_BACKEND_TOKEN')?.valueFrom?.secretKeyRef?.name).toBe(
      'modalfuse-backend-token',
    );
  });

  it('scales between bounds on a metric KServe knows, each replica with one GPU', () => {
    expect(predictor.minReplicas).toBeGreaterThanOrEqual(1);
    expect(predictor.maxReplicas).toBeGreaterThan(predictor.minReplicas as number);
    expect(['concurrency', 'rps', 'cpu', 'memory']).toContain(predictor.scaleMetric);
    const resources = new ResourceRequirements(predictor.model.resources as never);
    expect(() => resources.validate()).not.toThrow();
    expect(resources.requests?.['nvidia.com/gpu']).toBe(1);
  });
});

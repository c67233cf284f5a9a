import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from './chart.ts';

interface Container {
  name: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: { name: string; value?: string }[];
  ports?: { name: string; containerPort: number }[];
  volumeMounts?: { name: string; mountPath: string }[];
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
}
interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface Volume {
  name: string;
  configMap?: { name: string };
  secret?: { secretName: string };
  emptyDir?: object;
}
interface PodSpec {
  containers: Container[];
  volumes?: Volume[];
}

/** One container of a rendered pod, laid out on this machine. */
export interface LocalContainer {
  /** The container's command and args, as the chart sets them. */
  readonly argv: readonly string[];
  /** The container's environment (plain values; mount paths mapped into `root`). */
  readonly env: Readonly<Record<string, string>>;
  /** The container's workingDir, as rendered (the caller runs the bundle there instead). */
  readonly workingDir: string | undefined;
  /** Named container ports. */
  readonly ports: Readonly<Record<string, number>>;
  /** Probes as `{ kind: { path, port } }` with the port resolved to a number. */
  readonly probes: Readonly<Record<string, { path: string; port: number }>>;
}

/** The pod template of the rendered Deployment or CronJob whose name ends with `suffix`. */
export function podSpecOf(manifests: readonly Manifest[], suffix: string): PodSpec {
  for (const m of manifests) {
    if (!m.metadata.name.endsWith(suffix)) continue;
    type Template = { template: { spec: PodSpec } };
    if (m.kind === 'Deployment') return (m.spec as Template).template.spec;
    if (m.kind === 'CronJob')
      return (m.spec as { jobTemplate: { spec: Template } }).jobTemplate.spec.template.spec;
  }
  throw new Error(`no rendered Deployment or CronJob named *${suffix}`);
}

/**
 * Maps every absolute path under one of `mountPaths` into `root` (rendered files and env name those paths), in
 * one pass, so a mapped path is never mapped again.
 */
export function pathMapper(root: string, mountPaths: readonly string[]): (text: string) => string {
  if (mountPaths.length === 0) return (text) => text;
  const escaped = [...mountPaths]
    .sort((a, b) => b.length - a.length)
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(`(^|[\\s"':=,[])(${escaped.join('|')})(?=/|$|[\\s"',\\]])`, 'gm');
  return (text) => text.replace(re, (_m, before: string, path: string) => `${before}${join(root, path)}`);
}

/**
 * Lays out the first container of a rendered pod under `root`, as the kubelet would: each volume mount's
 * ConfigMap or Secret keys become files at `root + mountPath`, emptyDirs become folders; paths in those files and
 * in the environment are mapped into `root`. A Secret the release does not render comes from `secrets`
 * (name -> key -> content), as it would from the cluster.
 */
export function layOutContainer(
  manifests: readonly Manifest[],
  suffix: string,
  root: string,
  secrets: Readonly<Record<string, Readonly<Record<string, string>>>> = {},
): LocalContainer {
  const pod = podSpecOf(manifests, suffix);
  const c = pod.containers[0] as Container;
  const mounts = c.volumeMounts ?? [];
  const map = pathMapper(
    root,
    mounts.map((m) => m.mountPath),
  );
  for (const mount of mounts) {
    const volume = pod.volumes?.find((v) => v.name === mount.name);
    if (!volume) throw new Error(`volumeMount ${mount.name} has no volume`);
    const dir = join(root, mount.mountPath);
    mkdirSync(dir, { recursive: true });
    for (const [key, content] of Object.entries(volumeData(manifests, volume, secrets)))
      writeFileSync(join(dir, key), map(content));
  }
  const ports = Object.fromEntries((c.ports ?? []).map((p) => [p.name, p.containerPort]));
  const probes: Record<string, { path: string; port: number }> = {};
  for (const kind of ['startupProbe', 'readinessProbe', 'livenessProbe'] as const) {
    const get = c[kind]?.httpGet;
    if (!get) continue;
    const port = typeof get.port === 'number' ? get.port : ports[get.port];
    if (port === undefined) throw new Error(`${kind} port ${get.port} is not a container port`);
    probes[kind] = { path: get.path, port };
  }
  return {
    argv: [...(c.command ?? []), ...(c.args ?? [])],
    env: Object.fromEntries((c.env ?? []).map((e) => [e.name, map(e.value ?? '')])),
    workingDir: c.workingDir,
    ports,
    probes,
  };
}

function volumeData(
  manifests: readonly Manifest[],
  volume: Volume,
  secrets: Readonly<Record<string, Readonly<Record<string, string>>>>,
): Readonly<Record<string, string>> {
  if (volume.emptyDir) return {};
  if (volume.configMap) {
    const name = volume.configMap.name;
    const cm = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === name);
    if (!cm) throw new Error(`ConfigMap ${name} is not rendered`);
    return (cm.data ?? {}) as Record<string, string>;
  }
  if (volume.secret) {
    const name = volume.secret.secretName;
    const s = manifests.find((m) => m.kind === 'Secret' && m.metadata.name === name);
    if (s) return (s.stringData ?? {}) as Record<string, string>;
    const given = secrets[name];
    if (!given) throw new Error(`Secret ${name} is neither rendered nor given`);
    return given;
  }
  throw new Error(`volume ${volume.name}: only configMap, secret and emptyDir volumes are laid out`);
}

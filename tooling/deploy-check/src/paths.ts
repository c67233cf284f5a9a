import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The Helm chart. */
export const CHART_DIR = `${ROOT}deploy/helm/granary`;
/** The Go program that decodes rendered manifests into the Kubernetes API types (deploy/check). */
export const CHECKER_DIR = `${ROOT}deploy/check`;
/** Binaries built once per machine (shared with tooling/services and tooling/bench). */
export const CACHE_DIR = `${ROOT}.services/cache`;

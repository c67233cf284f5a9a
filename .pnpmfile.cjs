// pnpm hooks of the Granary workspace.
//
// beforePacking (pnpm pack / pnpm publish): the `@granary/source` export condition points at `src/*.ts` so
// the workspace runs and type-checks sources without a build (docs/architecture.md, "Sources without a
// build"); `src/` is not in any tarball, so the condition is removed from every published `exports` map.
// tooling/packaging checks the packed manifests (no `@granary/source`, every export target in the tarball).
const SOURCE_CONDITION = '@granary/source';

function withoutSourceCondition(value) {
  if (Array.isArray(value)) return value.map(withoutSourceCondition);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key !== SOURCE_CONDITION) out[key] = withoutSourceCondition(inner);
  }
  return out;
}

module.exports = {
  hooks: {
    beforePacking(manifest) {
      if (manifest.exports !== undefined) manifest.exports = withoutSourceCondition(manifest.exports);
      return manifest;
    },
  },
};

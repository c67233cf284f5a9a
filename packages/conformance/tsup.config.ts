import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'toxiproxy/index': 'src/toxiproxy/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  // Maps without the sources' text (tarballs carry no src/): stack traces still name the source file and line.
  esbuildOptions: (options) => {
    options.sourcesContent = false;
  },
  clean: true,
  target: 'node22',
});

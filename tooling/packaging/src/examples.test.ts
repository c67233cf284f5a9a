import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  examplePath,
  missingExpectations,
  type PreparedExample,
  runExample,
  writeExamples,
} from './examples.ts';
import type { ReadmeExample } from './readme-directives.ts';

const dir = mkdtempSync(join(tmpdir(), 'granary-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const example = (over: Partial<ReadmeExample>): ReadmeExample => ({
  readme: 'x README',
  line: 12,
  lang: 'ts',
  code: "console.log('value: 0.031');\n",
  mode: 'run',
  services: [],
  server: false,
  expect: [],
  ...over,
});

describe('examples', () => {
  it('names the file of an example after its package and line', () => {
    expect(examplePath('@granary/core', example({}))).toBe('examples/granary-core-12.ts');
    expect(examplePath('@granary/conformance', example({ mode: 'vitest' }))).toBe(
      'examples/granary-conformance-12.test.ts',
    );
    expect(examplePath('@granary/server', example({ mode: 'file', file: 'granary.yaml' }))).toBe(
      'granary.yaml',
    );
  });

  it('lists the expected texts the output lacks', () => {
    expect(missingExpectations('a\nvalue: 0.031\n', ['value: 0.031', 'PRESENT'])).toEqual([
      'did not print "PRESENT"',
    ]);
  });

  it('runs a program unchanged and judges its exit code and output', async () => {
    const [ok, failing, silent] = writeExamples(dir, [
      {
        pkg: '@x/y',
        examples: [
          example({ line: 1, expect: ['value: 0.031'] }),
          example({ line: 2, code: "throw new Error('boom');\n" }),
          example({ line: 3, expect: ['value: 0.031'], code: 'const x: number = 1;\nconsole.log(x);\n' }),
        ],
      },
    ]) as [PreparedExample, PreparedExample, PreparedExample];
    expect(readFileSync(join(dir, 'examples/x-y-1.ts'), 'utf8')).toBe("console.log('value: 0.031');\n");
    expect((await runExample(dir, ok, process.env, 30_000)).problems).toEqual([]);
    const failed = await runExample(dir, failing, process.env, 30_000);
    expect(failed.problems.join('\n')).toMatch(/exit 1[\s\S]*boom/);
    const quiet = await runExample(dir, silent, process.env, 30_000);
    expect(quiet.problems[0]).toBe('did not print "value: 0.031"');
  });

  it('refuses a run block in a language it cannot run', async () => {
    const [sh] = writeExamples(dir, [
      { pkg: '@x/y', examples: [example({ line: 4, lang: 'sh', code: 'ls\n' })] },
    ]) as [PreparedExample];
    expect((await runExample(dir, sh, process.env, 30_000)).problems).toEqual([
      'a "run" block must be ts or js, not "sh"',
    ]);
  });
});

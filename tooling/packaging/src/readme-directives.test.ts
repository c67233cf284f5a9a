import { describe, expect, it } from 'vitest';
import { parseReadme } from './readme-directives.ts';

const README = `# @x/y

## Install

\`\`\`sh
npm install @x/y @x/core kafkajs   # or: pnpm add @x/y @x/core kafkajs
npm install -D @types/node         # TypeScript only
\`\`\`

## Example

<!-- packaging: run services=redis,kafka expect="value: 0.031" expect='a "quoted" one' -->

\`\`\`ts
console.log('value: 0.031');
\`\`\`

\`\`\`ts
// not marked: never run
\`\`\`

<!-- packaging: run server -->
\`\`\`ts
await fetch(process.env.GRANARY_SERVER_URL);
\`\`\`

<!-- packaging: vitest -->

\`\`\`ts
it('works', () => {});
\`\`\`

<!-- packaging: file granary.yaml -->

\`\`\`yaml
store: { type: memory }
\`\`\`
`;

describe('parseReadme', () => {
  const parsed = parseReadme(README, 'y/README.md');

  it('finds exactly the marked blocks, with their line, mode and attributes', () => {
    expect(parsed.problems).toEqual([]);
    expect(parsed.examples.map((e) => [e.line, e.mode, e.lang])).toEqual([
      [14, 'run', 'ts'],
      [23, 'run', 'ts'],
      [29, 'vitest', 'ts'],
      [35, 'file', 'yaml'],
    ]);
    const [first, second, , file] = parsed.examples;
    expect(first?.services).toEqual(['redis', 'kafka']);
    expect(first?.expect).toEqual(['value: 0.031', 'a "quoted" one']);
    expect(first?.server).toBe(false);
    expect(first?.code).toBe("console.log('value: 0.031');\n");
    expect(second?.server).toBe(true);
    expect(file?.file).toBe('granary.yaml');
    expect(file?.code).toBe('store: { type: memory }\n');
  });

  it('reads npm install lines, their dev flag and whether pnpm add stands beside them', () => {
    expect(parsed.installs).toEqual([
      {
        readme: 'y/README.md',
        line: 6,
        dev: false,
        packages: ['@x/y', '@x/core', 'kafkajs'],
        withPnpm: true,
      },
      { readme: 'y/README.md', line: 7, dev: true, packages: ['@types/node'], withPnpm: true },
    ]);
  });

  it('reports a block of install lines without pnpm', () => {
    const { installs } = parseReadme('```sh\nnpm i @x/y\n```\n', 'r.md');
    expect(installs).toEqual([{ readme: 'r.md', line: 2, dev: false, packages: ['@x/y'], withPnpm: false }]);
  });

  it.each([
    [
      '<!-- packaging: runn -->\n```ts\nx\n```\n',
      'r.md:1: "packaging: runn" must start with one of run, vitest, file',
    ],
    ['<!-- packaging: run colour=red -->\n```ts\nx\n```\n', 'r.md:1: unknown "colour=red"'],
    ['<!-- packaging: run -->\nsome prose\n```ts\nx\n```\n', 'r.md:1: marker not followed by a code block'],
    ['<!-- packaging: run -->\n', 'r.md:1: marker not followed by a code block'],
    ['<!-- packaging: file -->\n```yaml\nx\n```\n', 'r.md:1: "packaging: file" needs a file name'],
    ['<!-- packaging: run -->\n```ts\nx\n', 'r.md:2: code block never closed'],
  ])('refuses a marker it cannot use: %j', (markdown, problem) => {
    const { problems } = parseReadme(markdown, 'r.md');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toContain(problem);
  });

  it('does not run a block whose marker was refused, nor a block after prose', () => {
    expect(parseReadme('<!-- packaging: run -->\nprose\n\n```ts\nx\n```\n', 'r.md').examples).toEqual([]);
  });
});

#!/usr/bin/env node
/**
 * The API report of @granary/core: every export of each entry point of the *built* package (dist/*.d.ts,
 * what consumers get), with its declaration as the compiler sees it (comments removed, sorted by name), and
 * the declarations the exports reference without exporting them. The report is checked in (api/core.api.md)
 * so a change of the public API shows in review:
 *
 *   node scripts/api-report.mjs --check    # the lint step: fails when the built API differs from the report
 *   node scripts/api-report.mjs --update   # rewrites the report (after `pnpm build`), to commit with the change
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const reportPath = join(root, 'api', 'core.api.md');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** The entry points: `exports` keys with a `types` file. */
const entries = Object.entries(pkg.exports)
  .filter(([, target]) => typeof target === 'object' && target.types)
  .map(([key, target]) => ({
    name: key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`,
    file: join(root, target.types),
  }));

function report() {
  for (const e of entries) {
    if (!existsSync(e.file))
      throw new Error(`${relative(root, e.file)} is missing: run \`pnpm build\` first`);
  }
  const program = ts.createProgram(
    entries.map((e) => e.file),
    {
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: [],
    },
  );
  const checker = program.getTypeChecker();
  const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
  const inDist = (decl) => decl.getSourceFile().fileName.startsWith(join(root, 'dist'));
  // A variable prints with its statement (`declare const X: T;`), everything else as declared.
  const print = (decl) => {
    const node = ts.isVariableDeclaration(decl) ? decl.parent.parent : decl;
    return printer.printNode(ts.EmitHint.Unspecified, node, decl.getSourceFile()).trim();
  };
  const resolve = (symbol) =>
    symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;

  const exported = new Set();
  const sections = [];
  for (const entry of entries) {
    const sf = program.getSourceFile(entry.file);
    const moduleSymbol = checker.getSymbolAtLocation(sf);
    const symbols = checker.getExportsOfModule(moduleSymbol).sort((a, b) => a.name.localeCompare(b.name));
    const lines = [];
    for (const s of symbols) {
      const target = resolve(s);
      exported.add(target);
      for (const decl of target.declarations ?? []) {
        const text = print(decl);
        lines.push(target.name === s.name ? text : `/* exported as ${s.name} */ ${text}`);
      }
    }
    sections.push({ title: `${entry.name} (${symbols.length} exports)`, lines });
  }

  // Declarations the exports reference without exporting them (they are part of the API all the same).
  const referenced = new Map();
  const queue = [...exported];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const symbol = queue.shift();
    for (const decl of symbol.declarations ?? []) {
      if (!inDist(decl)) continue;
      const visit = (node) => {
        if (ts.isIdentifier(node)) {
          const s = checker.getSymbolAtLocation(node);
          const target = s && resolve(s);
          if (target && !seen.has(target) && target.declarations?.some(inDist) && isTopLevel(target)) {
            seen.add(target);
            queue.push(target);
            if (!exported.has(target)) referenced.set(target.name, target);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(decl);
    }
  }
  const unexported = [...referenced.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((s) => (s.declarations ?? []).filter(inDist).map(print));
  sections.push({
    title: `referenced by the exports, not exported (${unexported.length})`,
    lines: unexported,
  });

  const body = sections.map((s) => `## ${s.title}\n\n\`\`\`ts\n${s.lines.join('\n\n')}\n\`\`\`\n`).join('\n');
  return `# API report: ${pkg.name}\n\nGenerated from the built declarations by \`scripts/api-report.mjs\`; do not edit. After a deliberate\nchange of the public API: \`pnpm --filter ${pkg.name} build && pnpm --filter ${pkg.name} api:update\`.\n\n${body}`;
}

/** Whether a symbol is a module-level declaration (not a member, parameter or type parameter). */
function isTopLevel(symbol) {
  return (symbol.declarations ?? []).some(
    (d) =>
      ts.isSourceFile(d.parent) ||
      ts.isModuleBlock(d.parent) ||
      (ts.isVariableDeclarationList(d.parent) && ts.isSourceFile(d.parent.parent.parent)),
  );
}

const mode = process.argv[2] ?? '--check';
const current = report();
if (mode === '--update') {
  writeFileSync(reportPath, current);
  console.log(`wrote ${relative(process.cwd(), reportPath)}`);
} else {
  const committed = existsSync(reportPath) ? readFileSync(reportPath, 'utf8') : '';
  if (committed !== current) {
    const a = committed.split('\n');
    const b = current.split('\n');
    const removed = a.filter((l) => !b.includes(l)).slice(0, 20);
    const added = b.filter((l) => !a.includes(l)).slice(0, 20);
    console.error(
      `${pkg.name}: the public API differs from ${relative(root, reportPath)}.\n` +
        `${removed.map((l) => `- ${l}`).join('\n')}\n${added.map((l) => `+ ${l}`).join('\n')}\n` +
        `If the change is deliberate: pnpm --filter ${pkg.name} build && pnpm --filter ${pkg.name} api:update, and commit the report.`,
    );
    process.exit(1);
  }
  console.log(`${pkg.name}: public API matches ${relative(root, reportPath)}`);
}

// The workflow sandbox is a folder: code under workflows/ imports, at run
// time, only other code under workflows/ and Temporal's workflow package, so
// nothing that does I/O or reads the clock can reach a workflow. Types may
// come from the activities (the proxies are typed by them) and from
// @temporalio/common. workflows/shared/, which the API and the activities
// import too, imports nothing at run time but itself.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');
const WORKFLOWS = path.join(ROOT, 'workflows');
const SHARED = path.join(WORKFLOWS, 'shared');

interface Import {
  file: string;
  specifier: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** Every import, export-from, import() and require() in a file, and whether it can only bring types. */
function importsOf(file: string, text = readFileSync(file, 'utf8')): Import[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: Import[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const allNamedAreTypes = !!bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
      const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && allNamedAreTypes));
      found.push({ file, specifier: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.exportClause;
      const allTypes = !!clause && ts.isNamedExports(clause) && clause.elements.every((e) => e.isTypeOnly);
      found.push({ file, specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly || allTypes });
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]!)) {
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isImport || isRequire) found.push({ file, specifier: (node.arguments[0] as ts.StringLiteral).text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ file, specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const inside = (dir: string, target: string) => target === dir || target.startsWith(dir + path.sep);
const resolved = (imp: Import) => (imp.specifier.startsWith('.') ? path.resolve(path.dirname(imp.file), imp.specifier) : null);

/** Why an import breaks the rule, or null when it keeps it. */
function violation(imp: Import): string | null {
  const target = resolved(imp);
  const inShared = inside(SHARED, imp.file);
  if (target && inside(inShared ? SHARED : WORKFLOWS, target)) return null;
  if (imp.typeOnly) {
    if (target && inside(path.join(ROOT, 'activities'), target)) return null;
    if (imp.specifier === '@temporalio/common' || imp.specifier.startsWith('@temporalio/common/')) return null;
  }
  if (!inShared && imp.specifier === '@temporalio/workflow') return null;
  return `${path.relative(ROOT, imp.file)} imports ${imp.typeOnly ? 'types from ' : ''}${imp.specifier}`;
}

test('workflow code imports only the sandbox folder and @temporalio/workflow at run time', () => {
  const files = sourceFiles(WORKFLOWS);
  assert.ok(files.length >= 15, 'the workflow sources are found');
  const broken = files.flatMap((f) => importsOf(f)).map(violation).filter((v) => v !== null);
  assert.deepEqual(broken, []);
});

test('the rule catches what it is for', () => {
  const probe = (file: string, line: string) => importsOf(path.join(WORKFLOWS, file), line).map(violation);
  assert.deepEqual(probe('conversation.ts', "import { createDb } from '../src/db';"), ['workflows/conversation.ts imports ../src/db']);
  assert.deepEqual(probe('conversation.ts', "import { readFileSync } from 'node:fs';"), ['workflows/conversation.ts imports node:fs']);
  assert.deepEqual(probe('conversation.ts', "import { createActivities } from '../activities';"), ['workflows/conversation.ts imports ../activities']);
  assert.deepEqual(probe('conversation.ts', "const pg = require('pg');"), ['workflows/conversation.ts imports pg']);
  assert.deepEqual(probe('conversation.ts', "export { SA } from '../src/search-attributes';"), ['workflows/conversation.ts imports ../src/search-attributes']);
  assert.deepEqual(probe('shared/ids.ts', "import { sleep } from '@temporalio/workflow';"), ['workflows/shared/ids.ts imports @temporalio/workflow']);
  assert.deepEqual(probe('shared/ids.ts', "import { ai } from '../activity-options';"), ['workflows/shared/ids.ts imports ../activity-options']);
  assert.deepEqual(probe('conversation.ts', "import type { Activities } from '../activities';"), [null]);
  assert.deepEqual(probe('conversation.ts', "import { sleep, type WorkflowInfo } from '@temporalio/workflow';"), [null]);
  assert.deepEqual(probe('conversation.ts', "import { SA } from './shared/search-attributes';"), [null]);
});

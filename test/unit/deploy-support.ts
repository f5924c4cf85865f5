/**
 * Offline helpers for the deployment checks (test/unit/deploy-*.test.ts): a Bicep syntax tree from the
 * tree-sitter-bicep WASM grammar (web-tree-sitter; no Bicep CLI, no network) and small queries over it.
 * tree-sitter is a syntax gate only: it knows no resource schemas, types or API versions, so the invariants
 * on top of it are ours (see the tests). The Bicep CLI (`az bicep build/lint`, what-if) stays authoritative.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Language, type Node, Parser, type Tree } from 'web-tree-sitter';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const bicepRoot = join(repoRoot, 'bicep');

let parserPromise: Promise<Parser> | undefined;

/** One parser for the whole test file; loading the WASM grammar takes a few hundred ms. */
export function bicepParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    await Parser.init();
    const require = createRequire(import.meta.url);
    const wasmPath = join(
      dirname(require.resolve('tree-sitter-bicep/package.json')),
      'tree-sitter-bicep.wasm',
    );
    const language = await Language.load(wasmPath);
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return parserPromise;
}

export async function parseBicep(source: string): Promise<Tree> {
  const tree = (await bicepParser()).parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

/** Every `*.bicep` file under bicep/ (recursively), as repo-relative paths. */
export function bicepFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.bicep')) out.push(relative(repoRoot, full));
    }
  };
  walk(bicepRoot);
  return out.sort();
}

export function readRepoFile(path: string): string {
  return readFileSync(join(repoRoot, path), 'utf8');
}

export interface SyntaxProblem {
  kind: 'ERROR' | 'MISSING';
  line: number;
  column: number;
  text: string;
}

/** ERROR and MISSING nodes: where tree-sitter had to recover, i.e. the text is not valid Bicep syntax. */
export function syntaxProblems(tree: Tree): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const walk = (node: Node) => {
    if (node.type === 'ERROR' || node.isMissing) {
      problems.push({
        kind: node.isMissing ? 'MISSING' : 'ERROR',
        line: node.startPosition.row + 1,
        column: node.startPosition.column + 1,
        text: node.text.slice(0, 80),
      });
    }
    for (const child of node.children) if (child) walk(child);
  };
  walk(tree.rootNode);
  return problems;
}

export function namedChildren(node: Node): Node[] {
  return node.namedChildren.filter(
    (c): c is Node => c !== null && c.type !== 'comment' && c.type !== 'diagnostic_comment',
  );
}

export function descendants(node: Node, type: string): Node[] {
  return node.descendantsOfType(type).filter((n): n is Node => n !== null);
}

export interface Decorator {
  name: string;
  /** Source text of the arguments, e.g. `'Required. x'`. */
  args: string[];
}

export interface Declaration {
  kind: 'param' | 'var' | 'output' | 'resource' | 'module' | 'type' | 'func' | 'import' | 'other';
  name: string;
  node: Node;
  decorators: Decorator[];
}

const KIND_BY_NODE: Record<string, Declaration['kind']> = {
  parameter_declaration: 'param',
  variable_declaration: 'var',
  output_declaration: 'output',
  resource_declaration: 'resource',
  module_declaration: 'module',
  type_declaration: 'type',
  user_defined_function: 'func',
  import_functionality: 'import',
};

function decoratorsOf(node: Node): Decorator[] {
  return namedChildren(node)
    .filter((d) => d.type === 'decorator')
    .map((d) => {
      const call = namedChildren(d)[0];
      const fn = call?.childForFieldName('function')?.text ?? call?.text ?? '';
      const argsNode =
        call?.childForFieldName('arguments') ??
        (call ? namedChildren(call).find((c) => c.type === 'arguments') : undefined);
      return { name: fn, args: argsNode ? namedChildren(argsNode).map((a) => a.text) : [] };
    });
}

/** Top-level declarations with the decorators written above them (tree-sitter makes those a sibling node). */
export function declarations(tree: Tree): Declaration[] {
  const out: Declaration[] = [];
  let pending: Decorator[] = [];
  for (const node of namedChildren(tree.rootNode)) {
    if (node.type === 'decorators') {
      pending = pending.concat(decoratorsOf(node));
      continue;
    }
    const kind = KIND_BY_NODE[node.type] ?? 'other';
    const nameNode =
      node.childForFieldName('name') ?? namedChildren(node).find((c) => c.type === 'identifier');
    out.push({ kind, name: nameNode?.text ?? '', node, decorators: pending });
    pending = [];
  }
  return out;
}

/** The text of a Bicep single-quoted string node without quotes (interpolations kept as `${...}`). */
export function stringValue(node: Node): string {
  return node.text.replace(/^'(?:'')?/, '').replace(/(?:'')?'$/, '');
}

/** `type@apiVersion` of a resource declaration. */
export function resourceType(decl: Declaration): { type: string; apiVersion: string } {
  const typeNode = namedChildren(decl.node).find((c) => c.type === 'string');
  const [type = '', apiVersion = ''] = (typeNode ? stringValue(typeNode) : '').split('@');
  return { type, apiVersion };
}

/** Key of an `object_property` node (identifier or quoted string). */
export function propertyKey(property: Node): string {
  const key = namedChildren(property)[0];
  if (!key) return '';
  return key.type === 'string' ? stringValue(key) : key.text;
}

/** Value node of an `object_property` node (the last named child). */
export function propertyValue(property: Node): Node | undefined {
  const children = namedChildren(property);
  return children.length >= 2 ? children[children.length - 1] : undefined;
}

/** Direct properties of an object node, by key. */
export function objectProperties(object: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const child of namedChildren(object)) {
    if (child.type !== 'object_property') continue;
    const value = propertyValue(child);
    if (value) out.set(propertyKey(child), value);
  }
  return out;
}

/** Every object node (anywhere below `root`) that has a property `key` whose value text equals `valueText`. */
export function objectsWith(root: Node, key: string, valueText: string): Node[] {
  return descendants(root, 'object').filter((o) => objectProperties(o).get(key)?.text === valueText);
}

/** Every value of properties named `key` anywhere below `root`. */
export function propertyValues(root: Node, key: string): Node[] {
  return descendants(root, 'object_property')
    .filter((p) => propertyKey(p) === key)
    .map((p) => propertyValue(p))
    .filter((v): v is Node => v !== undefined);
}

/** The value expression of a parameter (default), variable or output declaration, if any. */
export function declarationValue(decl: Declaration): Node | undefined {
  const children = namedChildren(decl.node);
  if (decl.kind === 'var') return children[1];
  if (decl.kind === 'param' || decl.kind === 'output')
    return children.length >= 3 ? children[children.length - 1] : undefined;
  return undefined;
}

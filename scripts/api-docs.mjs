// The library API section of docs/cli.md, generated from the types of src/index.ts's exports:
// every exported function with its signature(s), every class with its constructor and public
// members, every interface and type with its shape. Between the markers
// `<!-- api:start … -->` and `<!-- api:end -->`.
// Usage: node scripts/api-docs.mjs            (writes docs/cli.md)
//        node scripts/api-docs.mjs --check    (exit 1 and say so when docs/cli.md is stale)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DOC = join(root, 'docs/cli.md');
const START = '<!-- api:start (generated from the types of src/index.ts by node scripts/api-docs.mjs) -->';
const END = '<!-- api:end -->';

const FORMAT = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;

/** One line of prose: the first sentence of a declaration's doc comment. */
function summary(checker, symbol) {
  const text = ts.displayPartsToString(symbol.getDocumentationComment(checker)).replace(/\s+/g, ' ').trim();
  if (!text) return '';
  const end = text.search(/\.(\s|$)/);
  return end < 0 ? text : text.slice(0, end + 1);
}

function entry(checker, name, symbol) {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const decl = target.declarations?.[0];
  if (!decl) return null;
  const where = relative(root, decl.getSourceFile().fileName);
  const doc = summary(checker, target);
  const lines = [];
  if (target.flags & ts.SymbolFlags.Function) {
    const type = checker.getTypeOfSymbolAtLocation(target, decl);
    for (const sig of type.getCallSignatures()) lines.push(`function ${name}${checker.signatureToString(sig, decl, FORMAT)}`);
    return { kind: 'Functions', name, where, doc, lines };
  }
  if (target.flags & ts.SymbolFlags.Class) {
    const type = checker.getTypeOfSymbolAtLocation(target, decl);
    const instance = checker.getDeclaredTypeOfSymbol(target);
    lines.push(`class ${name}`);
    for (const sig of type.getConstructSignatures()) lines.push(`  constructor${checker.signatureToString(sig, decl, FORMAT).replace(/: [^:]+$/, '')}`);
    for (const p of checker.getPropertiesOfType(instance)) {
      const d = p.valueDeclaration ?? p.declarations?.[0];
      if (!d || d.getSourceFile() !== decl.getSourceFile()) continue; // inherited from Error and the like
      const mods = ts.getCombinedModifierFlags(d);
      if (mods & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected) || p.name.startsWith('#')) continue;
      const t = checker.getTypeOfSymbolAtLocation(p, d);
      if (p.flags & ts.SymbolFlags.Method) for (const sig of t.getCallSignatures()) lines.push(`  ${p.name}${checker.signatureToString(sig, d, FORMAT)}`);
      else lines.push(`  ${mods & ts.ModifierFlags.Readonly ? 'readonly ' : ''}${p.name}: ${checker.typeToString(t, d, FORMAT)}`);
    }
    return { kind: 'Classes', name, where, doc, lines };
  }
  if (target.flags & ts.SymbolFlags.Interface) {
    const type = checker.getDeclaredTypeOfSymbol(target);
    lines.push(`interface ${name} {`);
    for (const p of checker.getPropertiesOfType(type)) {
      const d = p.valueDeclaration ?? p.declarations?.[0];
      const optional = p.flags & ts.SymbolFlags.Optional ? '?' : '';
      lines.push(`  ${p.name}${optional}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(p, d ?? decl), d ?? decl, FORMAT)};`);
    }
    lines.push('}');
    return { kind: 'Types', name, where, doc, lines };
  }
  if (target.flags & ts.SymbolFlags.TypeAlias) {
    const type = checker.getDeclaredTypeOfSymbol(target);
    lines.push(`type ${name} = ${checker.typeToString(type, decl, FORMAT | ts.TypeFormatFlags.InTypeAlias)}`);
    return { kind: 'Types', name, where, doc, lines };
  }
  if (target.flags & ts.SymbolFlags.Variable) {
    const type = checker.getTypeOfSymbolAtLocation(target, decl);
    lines.push(`const ${name}: ${checker.typeToString(type, decl, FORMAT)}`);
    return { kind: 'Values', name, where, doc, lines };
  }
  return null;
}

/** The generated section: a table of contents by kind, then each export's signature. */
export function apiSection() {
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile).config;
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root);
  const program = ts.createProgram([join(root, 'src/index.ts')], { ...parsed.options, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(join(root, 'src/index.ts'));
  const module = checker.getSymbolAtLocation(source);
  const entries = checker
    .getExportsOfModule(module)
    .map((s) => entry(checker, s.name, s))
    .filter(Boolean);
  const out = [START, ''];
  for (const kind of ['Functions', 'Classes', 'Values', 'Types']) {
    const of = entries.filter((e) => e.kind === kind).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (!of.length) continue;
    out.push(`### ${kind}`, '');
    for (const e of of) {
      out.push(`#### \`${e.name}\``, '');
      if (e.doc) out.push(e.doc, '');
      out.push('```ts', ...e.lines, '```', '', `Defined in \`${e.where}\`.`, '');
    }
  }
  out.push(END);
  return out.join('\n');
}

/** docs/cli.md with the section replaced (or appended when the markers are missing). */
export function withApiSection(text, section = apiSection()) {
  const a = text.indexOf(START.slice(0, 16));
  const b = text.indexOf(END);
  if (a < 0 || b < 0) return `${text.trimEnd()}\n\n${section}\n`;
  return `${text.slice(0, a)}${section}${text.slice(b + END.length)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = readFileSync(DOC, 'utf8');
  const next = withApiSection(text);
  if (process.argv.includes('--check')) {
    if (next !== text) {
      console.error('docs/cli.md: the library API section is stale; run node scripts/api-docs.mjs');
      process.exit(1);
    }
  } else if (next !== text) writeFileSync(DOC, next);
}

#!/usr/bin/env node
// Doctest: every TSDoc `@example` of every workspace package, compiled and run as a user would.
//
//   node scripts/doctest.mjs [--package <dir or name>]... [--file <substring>]... [--jobs N]
//                            [--keep] [--list] [--verbose] [--allow-missing]
//   (--allow-missing: exported symbols without an example are listed but do not fail)
//   (`pnpm doctest` runs it over every package; run `pnpm build` first.)
//
// 1. Extraction. Every ```ts (or ```typescript) fence inside an `@example` block of a TSDoc
//    comment in `src/**/*.ts` (tests excluded) of each selected package, plus every fence whose
//    info string is `ts doctest` in the package's README.md (and, for the whole workspace, in
//    docs/*.md), becomes one standalone module, reported as `file:line` of its first line.
// 2. Type check. All modules are compiled in one TypeScript program against the BUILT packages
//    (a temp folder whose node_modules links every workspace package and its dependencies), with
//    strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess, skipLibCheck: false,
//    module/moduleResolution NodeNext. Errors in the workspace packages' declarations fail;
//    errors inside third-party declarations (tfjs's) are not counted. `declare` statements are
//    refused: an example must be self-contained. An example imports the public API by package
//    name; only the example of a module-internal (unexported) symbol may import its module
//    relatively, and then runs against that module's built file.
// 3. Run. Each module runs in its own `node` process, in an empty working folder, with a
//    timeout; it passes when it exits 0 and every stated value holds.
//
// Stated values (the convention; docs/doctest.md says the same for contributors):
//   expr; // VALUE            asserts that expr equals VALUE
//   console.log(expr); // VALUE   the same, on the logged value (one argument)
//   const x = expr; // VALUE  asserts that x equals VALUE after the declaration
//   expr;                     followed by a line `// => VALUE`: the same as the first form
//   expr; // ≈ VALUE          approximately: to the decimals written (half a unit in the last
//                             written place), or 1e-6 relative when VALUE is not a decimal literal
//   expr; // VALUE ± TOL      within the absolute tolerance TOL
//   expr; // throws NAME      (top level only) expr throws, or rejects with, an error whose
//                             name, class name or `code` is NAME
// VALUE is a literal JavaScript expression: numbers (and arithmetic on them, e.g. 15/64,
// Math.sqrt(2)), strings, true/false/null/undefined/NaN/Infinity, arrays and object literals.
// A typed-array prefix as Node prints it (`Float32Array [3, 3]`, `Float64Array(2) [1, 2]`) also
// checks the constructor. Arrays compare element by element (any array-like actual); objects
// compare the keys written (the actual may have more); numbers compare with a relative
// tolerance of 1e-9 unless stated otherwise. A comment that is not such a VALUE is prose and is
// not checked.
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

const root = resolve(import.meta.dirname, "..");

// ---------------------------------------------------------------------------------------------
// arguments

function parseArgs(argv) {
  const options = {
    packages: [],
    files: [],
    jobs: 2,
    keep: false,
    list: false,
    verbose: false,
    allowMissing: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`doctest: ${a} needs a value`);
      return v;
    };
    if (a === "--package") options.packages.push(value());
    else if (a === "--file") options.files.push(value());
    else if (a === "--jobs") {
      options.jobs = Number(value());
      if (!Number.isInteger(options.jobs) || options.jobs < 1) {
        throw new Error(`doctest: --jobs must be a positive integer, got ${argv[i]}`);
      }
    } else if (a === "--keep") options.keep = true;
    else if (a === "--list") options.list = true;
    else if (a === "--allow-missing") options.allowMissing = true;
    else if (a === "--verbose") options.verbose = true;
    else throw new Error(`doctest: unknown argument ${JSON.stringify(a)}`);
  }
  return options;
}

// ---------------------------------------------------------------------------------------------
// workspace

function workspacePackages() {
  const found = [];
  for (const group of ["packages", "apps"]) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const name of readdirSync(groupDir).sort()) {
      const dir = join(groupDir, name);
      const manifestPath = join(dir, "package.json");
      if (!existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
      found.push({ dir, short: name, name: manifest.name, manifest });
    }
  }
  return found;
}

function sourceFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (
        entry.name.endsWith(".ts") &&
        !entry.name.endsWith(".test.ts") &&
        !entry.name.endsWith(".d.ts")
      ) {
        out.push(p);
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

// ---------------------------------------------------------------------------------------------
// extraction

const FENCE_OPEN = /^```(ts|typescript)\b(.*)$/;

/** The ```ts fences inside `@example` blocks of the TSDoc comments of one source file. */
function examplesInSource(file) {
  const text = readFileSync(file, "utf8");
  const examples = [];
  const comment = /\/\*\*[\s\S]*?\*\//g;
  for (let match = comment.exec(text); match !== null; match = comment.exec(text)) {
    const startLine = text.slice(0, match.index).split("\n").length; // 1-based line of `/**`
    const lines = match[0].split("\n").map((line) =>
      line
        .replace(/^\s*\/\*\*\s?/, "")
        .replace(/\s*\*\/\s*$/, "")
        .replace(/^\s*\* ?/, ""),
    );
    let inExample = false;
    let fence;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (fence === undefined) {
        if (/^@example\b/.test(line.trim())) inExample = true;
        else if (/^@\w+/.test(line.trim())) inExample = false;
        const open = FENCE_OPEN.exec(line.trim());
        if (inExample && open) fence = { start: i + 1, body: [] };
      } else if (line.trim() === "```") {
        examples.push({ file, line: startLine + fence.start, code: fence.body.join("\n") });
        fence = undefined;
      } else {
        fence.body.push(line);
      }
    }
  }
  return examples;
}

/** The ```ts doctest fences of a markdown file. */
function examplesInMarkdown(file) {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, "utf8").split("\n");
  const examples = [];
  let fence;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (fence === undefined) {
      const open = FENCE_OPEN.exec(line.trim());
      if (open && /\bdoctest\b/.test(open[2])) fence = { start: i + 1, body: [] };
    } else if (line.trim() === "```") {
      examples.push({ file, line: fence.start + 1, code: fence.body.join("\n") });
      fence = undefined;
    } else {
      fence.body.push(line);
    }
  }
  return examples;
}

// ---------------------------------------------------------------------------------------------
// stated values → assertions

const ALLOWED_IDENTIFIERS = new Set(["undefined", "NaN", "Infinity"]);
const TYPED_ARRAY =
  /^(Float64Array|Float32Array|Int8Array|Int16Array|Int32Array|Uint8Array|Uint8ClampedArray|Uint16Array|Uint32Array|BigInt64Array|BigUint64Array)(?:\(\d+\))?\s*(?=\[)/;

/** Whether `node` is built only from literals, arithmetic and `Math` constants/functions. */
function isLiteralValue(node) {
  switch (node.kind) {
    case ts.SyntaxKind.NumericLiteral:
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
    case ts.SyntaxKind.NullKeyword:
      return true;
    case ts.SyntaxKind.Identifier:
      return ALLOWED_IDENTIFIERS.has(node.text);
    case ts.SyntaxKind.ParenthesizedExpression:
      return isLiteralValue(node.expression);
    case ts.SyntaxKind.PrefixUnaryExpression:
      return (
        (node.operator === ts.SyntaxKind.MinusToken || node.operator === ts.SyntaxKind.PlusToken) &&
        isLiteralValue(node.operand)
      );
    case ts.SyntaxKind.BinaryExpression:
      return (
        [
          ts.SyntaxKind.PlusToken,
          ts.SyntaxKind.MinusToken,
          ts.SyntaxKind.AsteriskToken,
          ts.SyntaxKind.SlashToken,
          ts.SyntaxKind.AsteriskAsteriskToken,
        ].includes(node.operatorToken.kind) &&
        isLiteralValue(node.left) &&
        isLiteralValue(node.right)
      );
    case ts.SyntaxKind.ArrayLiteralExpression:
      return node.elements.every(isLiteralValue);
    case ts.SyntaxKind.ObjectLiteralExpression:
      return node.properties.every(
        (p) =>
          ts.isPropertyAssignment(p) &&
          (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name)) &&
          isLiteralValue(p.initializer),
      );
    case ts.SyntaxKind.PropertyAccessExpression:
      return (
        ts.isIdentifier(node.expression) &&
        node.expression.text === "Math" &&
        /^[A-Z0-9_]+$/.test(node.name.text)
      );
    case ts.SyntaxKind.CallExpression:
      return (
        ts.isPropertyAccessExpression(node.expression) &&
        ts.isIdentifier(node.expression.expression) &&
        node.expression.expression.text === "Math" &&
        /^[a-z0-9]+$/.test(node.expression.name.text) &&
        node.arguments.every(isLiteralValue)
      );
    default:
      return false;
  }
}

/** The JS source of a literal VALUE, or undefined when `text` is prose. */
function literalSource(text) {
  const source = ts.createSourceFile("value.ts", `(${text});`, ts.ScriptTarget.Latest, true);
  if (source.parseDiagnostics.length > 0 || source.statements.length !== 1) return undefined;
  const statement = source.statements[0];
  if (!ts.isExpressionStatement(statement)) return undefined;
  let expression = statement.expression;
  if (ts.isParenthesizedExpression(expression)) expression = expression.expression;
  return isLiteralValue(expression) ? expression.getText(source) : undefined;
}

/**
 * Parses a comment's text as a stated value: `{ kind: "value", expected, options }`,
 * `{ kind: "throws", name }`, or undefined for prose.
 */
function parseStatedValue(raw) {
  let text = raw.trim();
  if (text.startsWith("=>")) text = text.slice(2).trim();
  const throws = /^throws\s+([A-Za-z_$][\w$-]*)\s*$/.exec(text);
  if (throws) return { kind: "throws", name: throws[1] };
  const options = {};
  if (/^(≈|~)/.test(text)) {
    options.approx = true;
    text = text.replace(/^(≈|~)\s*/, "");
  }
  const plusMinus = /^(.*?)\s*(?:±|\+-)\s*(.+)$/.exec(text);
  if (plusMinus) {
    const tolerance = literalSource(plusMinus[2]);
    if (tolerance === undefined) return undefined;
    options.toleranceSource = tolerance;
    text = plusMinus[1];
  }
  const typed = TYPED_ARRAY.exec(text);
  if (typed) {
    options.typedArray = typed[1];
    text = text.slice(typed[0].length);
  }
  const expected = literalSource(text);
  if (expected === undefined) return undefined;
  if (options.approx && options.toleranceSource === undefined) {
    const decimal = /^-?\d+(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(expected.trim());
    if (decimal) {
      const places = (decimal[1]?.length ?? 0) - Number(decimal[2] ?? 0);
      options.absolute = 0.5 * 10 ** -places * (1 + 1e-9);
    } else {
      options.relative = 1e-6;
    }
  }
  return { kind: "value", expected, options };
}

function optionsSource(options) {
  const parts = [];
  if (options.typedArray !== undefined)
    parts.push(`typedArray: ${JSON.stringify(options.typedArray)}`);
  if (options.toleranceSource !== undefined) parts.push(`absolute: (${options.toleranceSource})`);
  if (options.absolute !== undefined) parts.push(`absolute: ${options.absolute}`);
  if (options.relative !== undefined) parts.push(`relative: ${options.relative}`);
  return `{ ${parts.join(", ")} }`;
}

/**
 * Turns stated values into `__doctest` calls without changing the line structure (so compiler
 * and runtime line numbers stay those of the example). Returns the new code, the number of
 * assertions and problems found (e.g. `declare`, relative imports).
 */
function instrument(code, where) {
  const source = ts.createSourceFile("example.ts", code, ts.ScriptTarget.Latest, true);
  const edits = [];
  const problems = [];
  let assertions = 0;
  const lineOf = (pos) => source.getLineAndCharacterOfPosition(pos).line;
  const codeLines = code.split("\n");
  const location = (pos) => `${where.file}:${where.line + lineOf(pos)}`;

  const statedValueAfter = (statement) => {
    for (const range of ts.getTrailingCommentRanges(code, statement.end) ?? []) {
      if (range.kind !== ts.SyntaxKind.SingleLineCommentTrivia) continue;
      if (lineOf(range.pos) !== lineOf(statement.end)) continue;
      return parseStatedValue(code.slice(range.pos + 2, range.end));
    }
    const next = codeLines[lineOf(statement.end) + 1];
    if (next !== undefined && /^\s*\/\/\s*=>/.test(next)) {
      return parseStatedValue(next.trim().slice(2));
    }
    return undefined;
  };

  const visit = (node, topLevel) => {
    if (
      (ts.isModuleDeclaration(node) ||
        ts.isVariableStatement(node) ||
        ts.isFunctionDeclaration(node) ||
        ts.isClassDeclaration(node)) &&
      node.modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)
    ) {
      problems.push(
        `${location(node.getStart(source))}: \`declare\` is not allowed: an example must build what it uses`,
      );
    }
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      const specifier = node.moduleSpecifier;
      if (
        specifier !== undefined &&
        ts.isStringLiteral(specifier) &&
        specifier.text.startsWith(".")
      ) {
        // an example of a module-internal symbol imports its module relatively: it runs
        // against the built file (src/… → dist/…); the public API is imported by package name
        const built =
          where.pkgDir === undefined || !where.sourceFile.startsWith(join(where.pkgDir, "src"))
            ? undefined
            : join(
                where.pkgDir,
                "dist",
                relative(
                  join(where.pkgDir, "src"),
                  resolve(dirname(where.sourceFile), specifier.text),
                ),
              );
        if (built === undefined || !existsSync(built)) {
          problems.push(
            `${location(node.getStart(source))}: relative import ${JSON.stringify(specifier.text)} does not name a built module of the package (import the public API by package name)`,
          );
        } else {
          edits.push({
            pos: specifier.getStart(source),
            end: specifier.end,
            text: JSON.stringify(built),
          });
        }
      }
    }
    if (ts.isExpressionStatement(node) || ts.isVariableStatement(node)) {
      const stated = statedValueAfter(node);
      if (stated !== undefined) {
        const where = location(node.getStart(source));
        if (stated.kind === "throws") {
          if (!topLevel || !ts.isExpressionStatement(node)) {
            problems.push(`${where}: \`// throws\` applies to a top-level expression statement`);
          } else {
            const expression = node.expression.getText(source);
            edits.push({
              pos: node.getStart(source),
              end: node.end,
              text: `await __doctest.throws(async () => { ${expression}; }, ${JSON.stringify(stated.name)}, ${JSON.stringify(where)});`,
            });
            assertions++;
          }
        } else if (ts.isExpressionStatement(node)) {
          let target = node.expression;
          if (
            ts.isCallExpression(target) &&
            target.expression.getText(source) === "console.log" &&
            target.arguments.length === 1
          ) {
            target = target.arguments[0];
          }
          edits.push({
            pos: target.getStart(source),
            end: target.end,
            text: `__doctest.check((${target.getText(source)}), (${stated.expected}), ${JSON.stringify(where)}, ${optionsSource(stated.options)})`,
          });
          assertions++;
        } else {
          const declarations = node.declarationList.declarations;
          const only = declarations.length === 1 ? declarations[0] : undefined;
          if (only !== undefined && ts.isIdentifier(only.name) && only.initializer !== undefined) {
            edits.push({
              pos: node.end,
              end: node.end,
              text: ` __doctest.check(${only.name.text}, (${stated.expected}), ${JSON.stringify(where)}, ${optionsSource(stated.options)});`,
            });
            assertions++;
          } else {
            problems.push(
              `${where}: a stated value after a declaration needs exactly one plain \`const name = …\``,
            );
          }
        }
        return; // nested statements of an asserted statement are not searched
      }
    }
    const isBlockLike =
      ts.isSourceFile(node) || ts.isBlock(node) || ts.isModuleBlock(node) || ts.isCaseClause(node);
    ts.forEachChild(node, (child) =>
      visit(child, topLevel && isBlockLike && ts.isSourceFile(node)),
    );
  };
  visit(source, true);

  edits.sort((a, b) => b.pos - a.pos);
  let out = code;
  for (const edit of edits) out = out.slice(0, edit.pos) + edit.text + out.slice(edit.end);
  return { code: out, assertions, problems };
}

// ---------------------------------------------------------------------------------------------
// the runtime helper every example runs with (loaded with `node --import`)

const RUNTIME = String.raw`
import { inspect } from "node:util";
import { isMainThread } from "node:worker_threads";
const show = (v) => inspect(v, { depth: 4, maxArrayLength: 24, breakLength: 120 });
function close(actual, expected, options) {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (actual === expected) return true;
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) return false;
  const diff = Math.abs(actual - expected);
  if (options.absolute !== undefined) return diff <= options.absolute;
  const relative = options.relative ?? 1e-9;
  return diff <= relative * Math.max(1, Math.abs(expected));
}
function compare(actual, expected, options, path) {
  if (typeof expected === "number") {
    const value = typeof actual === "bigint" ? Number(actual) : actual;
    if (typeof value !== "number") return path + ": expected the number " + expected + ", got " + show(actual);
    return close(value, expected, options) ? undefined : path + ": expected " + expected + ", got " + show(actual) + (typeof actual === "number" ? " (difference " + (actual - expected) + ")" : "");
  }
  if (typeof expected !== "object" || expected === null) {
    return Object.is(actual, expected) || actual === expected ? undefined : path + ": expected " + show(expected) + ", got " + show(actual);
  }
  if (Array.isArray(expected)) {
    const arrayLike = actual !== null && typeof actual === "object" && typeof actual.length === "number";
    if (!arrayLike) return path + ": expected an array " + show(expected) + ", got " + show(actual);
    if (actual.length !== expected.length) return path + ": expected length " + expected.length + ", got length " + actual.length + ": " + show(actual);
    for (let i = 0; i < expected.length; i++) {
      const problem = compare(actual[i], expected[i], options, path + "[" + i + "]");
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (actual === null || typeof actual !== "object") return path + ": expected an object " + show(expected) + ", got " + show(actual);
  for (const key of Object.keys(expected)) {
    const problem = compare(actual[key], expected[key], options, path + "." + key);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
let count = 0;
globalThis.__doctest = {
  check(actual, expected, where, options = {}) {
    count++;
    if (options.typedArray !== undefined && actual?.constructor?.name !== options.typedArray) {
      throw new Error(where + ": expected a " + options.typedArray + ", got " + show(actual));
    }
    const problem = compare(actual, expected, options, "value");
    if (problem !== undefined) throw new Error(where + ": " + problem);
    return actual;
  },
  async throws(run, name, where) {
    count++;
    try {
      await run();
    } catch (error) {
      const names = [error?.name, error?.constructor?.name, error?.code];
      if (names.includes(name)) return;
      throw new Error(where + ": expected an error " + name + ", got " + show(error));
    }
    throw new Error(where + ": expected an error " + name + ", but nothing was thrown");
  },
};
// worker threads inherit --import of this runtime: only the example's own thread reports
process.on("exit", (code) => {
  if (code === 0 && isMainThread) process.stderr.write("\n__doctest_assertions=" + count + "\n");
});
`;

const GLOBALS_DTS = `declare const __doctest: {
  check<T>(actual: T, expected: unknown, where: string, options?: object): T;
  throws(run: () => Promise<unknown>, name: string, where: string): Promise<void>;
};
`;

// ---------------------------------------------------------------------------------------------
// the consumer folder: node_modules resolving the built workspace packages

function linkPackages(work, packages) {
  const modules = join(work, "node_modules");
  const linked = new Set();
  const link = (name, target) => {
    if (linked.has(name)) return;
    const path = join(modules, name);
    mkdirSync(dirname(path), { recursive: true });
    symlinkSync(target, path, "dir");
    linked.add(name);
  };
  for (const pkg of packages) link(pkg.name, pkg.dir);
  const candidates = [...packages.map((p) => p.dir), root];
  const dependencyNames = new Set(["@types/node", "typescript"]);
  for (const pkg of packages) {
    for (const field of ["dependencies", "devDependencies", "peerDependencies"]) {
      for (const dep of Object.keys(pkg.manifest[field] ?? {})) dependencyNames.add(dep);
    }
  }
  for (const dep of dependencyNames) {
    if (linked.has(dep)) continue;
    for (const dir of candidates) {
      const path = join(dir, "node_modules", dep);
      if (existsSync(path)) {
        link(dep, path);
        break;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// coverage: every exported symbol of every entry point has an example

/** The source files of a package's entry points (the `@convexformer/source` export condition). */
function entrySources(pkg) {
  const entries = [];
  for (const [subpath, target] of Object.entries(pkg.manifest.exports ?? {})) {
    if (typeof target !== "object" || target === null) continue;
    const source = target["@convexformer/source"];
    if (typeof source === "string") entries.push({ subpath, file: join(pkg.dir, source) });
  }
  return entries;
}

/** `pkg/subpath: symbol` for every exported symbol whose declaration has no `@example`. */
function missingExamples(packages) {
  const entries = packages.flatMap((pkg) => entrySources(pkg).map((e) => ({ ...e, pkg })));
  if (entries.length === 0) return [];
  const program = ts.createProgram(
    entries.map((e) => e.file),
    {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      customConditions: ["@convexformer/source"],
      noEmit: true,
      skipLibCheck: true,
      types: [],
    },
  );
  const checker = program.getTypeChecker();
  const missing = [];
  for (const entry of entries) {
    const source = program.getSourceFile(entry.file);
    const moduleSymbol = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    if (moduleSymbol === undefined) continue;
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declarations = symbol.declarations ?? [];
      const hasExample = declarations.some((d) => {
        const target = ts.isVariableDeclaration(d) ? d.parent.parent : d;
        return ts.getJSDocTags(target).some((tag) => tag.tagName.text === "example");
      });
      if (!hasExample) {
        const d = declarations[0];
        const at =
          d === undefined
            ? ""
            : ` (${relative(root, d.getSourceFile().fileName)}:${d.getSourceFile().getLineAndCharacterOfPosition(d.getStart()).line + 1})`;
        const name =
          entry.subpath === "." ? entry.pkg.name : `${entry.pkg.name}${entry.subpath.slice(1)}`;
        missing.push({ pkg: entry.pkg.short, text: `${name}: ${exported.name}${at}` });
      }
    }
  }
  return missing;
}

// ---------------------------------------------------------------------------------------------
// running

function runNode(file, cwd, runtime, timeoutMs) {
  return new Promise((done) => {
    const child = spawn(process.execPath, ["--import", runtime, file], {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NODE_NO_WARNINGS: "1" },
    });
    let out = "";
    child.stdout.on("data", (b) => {
      out += b;
    });
    child.stderr.on("data", (b) => {
      out += b;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, out });
    });
  });
}

async function pool(items, jobs, fn) {
  let next = 0;
  const workers = Array.from({ length: Math.min(jobs, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  });
  await Promise.all(workers);
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const all = workspacePackages();
  const selected =
    options.packages.length === 0
      ? all
      : options.packages.map((want) => {
          const pkg = all.find((p) => p.short === want || p.name === want);
          if (pkg === undefined) {
            throw new Error(
              `doctest: --package ${JSON.stringify(want)} is not a workspace package (${all.map((p) => p.short).join(", ")})`,
            );
          }
          return pkg;
        });

  const examples = [];
  for (const pkg of selected) {
    const found = [
      ...sourceFiles(join(pkg.dir, "src")).flatMap(examplesInSource),
      ...examplesInMarkdown(join(pkg.dir, "README.md")),
    ];
    for (const example of found) examples.push({ ...example, pkg: pkg.short });
  }
  if (options.packages.length === 0) {
    const docs = join(root, "docs");
    if (existsSync(docs)) {
      for (const name of readdirSync(docs).sort()) {
        if (name.endsWith(".md")) {
          for (const example of examplesInMarkdown(join(docs, name))) {
            examples.push({ ...example, pkg: "docs" });
          }
        }
      }
    }
    for (const example of examplesInMarkdown(join(root, "README.md"))) {
      examples.push({ ...example, pkg: "workspace" });
    }
  }
  const filtered =
    options.files.length === 0
      ? examples
      : examples.filter((e) => options.files.some((f) => relative(root, e.file).includes(f)));

  for (const example of filtered) example.where = `${relative(root, example.file)}:${example.line}`;
  if (options.list) {
    for (const e of filtered) console.log(e.where);
    console.log(`${filtered.length} examples`);
    return 0;
  }
  if (filtered.length === 0) {
    console.log("0 examples: 0 passed, 0 failed");
    return 0;
  }

  for (const pkg of all) {
    const types = pkg.manifest.types;
    if (types !== undefined && !existsSync(join(pkg.dir, types))) {
      throw new Error(`doctest: ${pkg.name} is not built (${types} is missing): run pnpm build`);
    }
  }

  const work = mkdtempSync(join(tmpdir(), "convexformer-doctest-"));
  const results = new Map(); // where → { ok, messages }
  try {
    writeFileSync(
      join(work, "package.json"),
      `${JSON.stringify({ type: "module", private: true })}\n`,
    );
    writeFileSync(join(work, "doctest-globals.d.ts"), GLOBALS_DTS);
    writeFileSync(join(work, "doctest-runtime.mjs"), RUNTIME);
    linkPackages(work, all);
    mkdirSync(join(work, "src"));

    const byFile = new Map();
    filtered.forEach((example, index) => {
      const base = basename(example.file).replace(/\.(ts|md)$/, "");
      const name = `${String(index).padStart(4, "0")}-${example.pkg}-${base}-L${example.line}.ts`;
      example.module = join(work, "src", name);
      const { code, assertions, problems } = instrument(example.code, {
        file: relative(root, example.file),
        line: example.line,
        sourceFile: example.file,
        pkgDir: all.find((p) => p.short === example.pkg)?.dir,
      });
      example.assertions = assertions;
      results.set(example.where, { ok: problems.length === 0, messages: [...problems] });
      writeFileSync(example.module, code);
      byFile.set(example.module, example);
    });

    // type check, all examples in one program
    const compilerOptions = {
      target: ts.ScriptTarget.ES2022,
      lib: ["lib.es2023.d.ts"],
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      moduleDetection: ts.ModuleDetectionKind.Force,
      types: ["node"],
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      noImplicitOverride: true,
      useUnknownInCatchVariables: true,
      skipLibCheck: false,
      rootDir: join(work, "src"),
      outDir: join(work, "out"),
      noEmitOnError: false,
      sourceMap: false,
    };
    console.log(`doctest: type-checking ${filtered.length} examples`);
    const program = ts.createProgram(
      [...byFile.keys(), join(work, "doctest-globals.d.ts")],
      compilerOptions,
    );
    const diagnostics = ts.getPreEmitDiagnostics(program);
    const libraryProblems = [];
    let thirdPartyProblems = 0;
    for (const d of diagnostics) {
      const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      const example = d.file === undefined ? undefined : byFile.get(resolve(d.file.fileName));
      if (example === undefined) {
        if (d.file !== undefined && /[\\/]node_modules[\\/]/.test(d.file.fileName)) {
          // a third party's own declarations (tfjs's do not compile with skipLibCheck off and
          // without the DOM lib); ours are checked, theirs are not our contract
          thirdPartyProblems++;
          continue;
        }
        const at =
          d.file === undefined
            ? ""
            : `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: `;
        libraryProblems.push(`${at}TS${d.code}: ${message}`);
        continue;
      }
      const line = d.file.getLineAndCharacterOfPosition(d.start ?? 0).line;
      const result = results.get(example.where);
      result.ok = false;
      result.messages.push(
        `${relative(root, example.file)}:${example.line + line}: TS${d.code}: ${message}`,
      );
    }
    program.emit();

    // run
    const runnable = filtered.filter((e) => results.get(e.where).ok);
    console.log(`doctest: running ${runnable.length} examples (${options.jobs} at a time)`);
    const runtime = join(work, "doctest-runtime.mjs");
    await pool(runnable, options.jobs, async (example) => {
      const compiled = join(work, "out", basename(example.module).replace(/\.ts$/, ".js"));
      const cwd = join(work, "run", basename(example.module, ".ts"));
      mkdirSync(cwd, { recursive: true });
      const started = Date.now();
      const { code, signal, out } = await runNode(compiled, cwd, runtime, 120_000);
      const result = results.get(example.where);
      const counted = /__doctest_assertions=(\d+)/.exec(out);
      if (code !== 0) {
        result.ok = false;
        const cleaned = out.replaceAll(join(work, "out"), "<example>").trim();
        result.messages.push(
          `${example.where}: ${signal === null ? `exit code ${code}` : `killed (${signal}, timeout 120 s)`}\n${indent(tail(cleaned, 40))}`,
        );
      } else if (counted !== null && Number(counted[1]) < example.assertions) {
        result.ok = false;
        result.messages.push(
          `${example.where}: only ${counted[1]} of ${example.assertions} stated values were reached`,
        );
      }
      if (options.verbose) {
        console.log(
          `${result.ok ? "ok  " : "FAIL"} ${example.where} (${example.assertions} assertions, ${Date.now() - started} ms)`,
        );
      }
    });

    // report
    const perPackage = new Map();
    let passed = 0;
    let failed = 0;
    let assertions = 0;
    for (const example of filtered) {
      const result = results.get(example.where);
      const entry = perPackage.get(example.pkg) ?? { passed: 0, failed: 0 };
      if (result.ok) {
        passed++;
        entry.passed++;
        assertions += example.assertions;
      } else {
        failed++;
        entry.failed++;
        console.log(`\nFAIL ${example.where}`);
        for (const message of result.messages) console.log(indent(message));
      }
      perPackage.set(example.pkg, entry);
    }
    const missing = options.files.length === 0 ? missingExamples(selected) : [];
    if (missing.length > 0) {
      console.log(`\nexported symbols without an @example, ${missing.length}:`);
      for (const m of missing) console.log(`    ${m.text}`);
    }
    if (libraryProblems.length > 0) {
      console.log(`\nlibrary type errors (skipLibCheck is off), ${libraryProblems.length}:`);
      for (const p of libraryProblems.slice(0, 30)) console.log(indent(p));
    }
    if (thirdPartyProblems > 0 && options.verbose) {
      console.log(
        `(${thirdPartyProblems} errors inside third-party declarations were not counted)`,
      );
    }
    console.log("");
    for (const [pkg, entry] of perPackage) {
      const without = missing.filter((m) => m.pkg === pkg).length;
      console.log(
        `  ${pkg}: ${entry.passed + entry.failed} examples, ${entry.failed} failed, ${without} exported symbols without one`,
      );
    }
    console.log(
      `${filtered.length} examples: ${passed} passed, ${failed} failed (${assertions} stated values checked in the passing ones)`,
    );
    if (missing.length > 0) console.log(`${missing.length} exported symbols have no example`);
    const missingFails = missing.length > 0 && !options.allowMissing;
    return failed > 0 || libraryProblems.length > 0 || missingFails ? 1 : 0;
  } finally {
    if (options.keep) console.log(`doctest: kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

function indent(text) {
  return text
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}

function tail(text, lines) {
  const all = text.split("\n");
  return all.length <= lines ? text : ["…", ...all.slice(-lines)].join("\n");
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);

import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type DefaultTheme, defineConfig } from "vitepress";

// The site renders the repository's `docs/` folder; `scripts/generate.mjs` writes the generated
// parts into it first (`docs/api/` from TypeDoc, `docs/cli.md` from the commander definitions).
const docsDir = fileURLToPath(new URL("../../../docs", import.meta.url));

/** The API sidebar written by typedoc-vitepress-theme (absent until `generate` ran). */
function apiSidebar(): DefaultTheme.SidebarItem[] {
  const file = `${docsDir}/api/typedoc-sidebar.json`;
  if (!existsSync(file)) return [];
  return JSON.parse(readFileSync(file, "utf8")) as DefaultTheme.SidebarItem[];
}

const guides: DefaultTheme.SidebarItem[] = [
  { text: "tensors", link: "/guide/tensors" },
  { text: "solvers", link: "/guide/solvers" },
  { text: "attention", link: "/guide/attention" },
  { text: "baselines", link: "/guide/baselines" },
  { text: "interpret", link: "/guide/interpret" },
  { text: "io", link: "/guide/io" },
  { text: "experiments", link: "/guide/experiments" },
];

export default defineConfig({
  title: "Convexformer",
  description:
    "Convex training of attention: the corrected reference implementation of Convexifying Transformers (arXiv:2211.11052).",
  srcDir: docsDir,
  outDir: fileURLToPath(new URL("../dist", import.meta.url)),
  cacheDir: fileURLToPath(new URL("../.vitepress-cache", import.meta.url)),
  cleanUrls: false,
  lastUpdated: false,
  markdown: { math: true },
  // Files under docs/ that are data, not pages.
  srcExclude: [
    "benchmarks/**",
    "public/**",
    "figures/**",
    "api-readme.md",
    "results/**/*.json",
    "results/**/*.txt",
  ],
  themeConfig: {
    nav: [
      { text: "Guide", link: "/getting-started" },
      { text: "Concepts", link: "/concepts" },
      { text: "API", link: "/api/" },
      { text: "CLI", link: "/cli" },
      { text: "Demo", link: "/demo" },
    ],
    sidebar: [
      {
        text: "Introduction",
        items: [
          { text: "Getting started", link: "/getting-started" },
          { text: "Concepts: convex attention", link: "/concepts" },
          { text: "What the paper gets wrong", link: "/convex-attention-corrections" },
          { text: "Architecture", link: "/architecture" },
        ],
      },
      { text: "Package guides", items: guides },
      {
        text: "Contributing",
        items: [
          { text: "Add a solver", link: "/adding-a-solver" },
          { text: "Add a program", link: "/adding-a-program" },
          { text: "Doctests", link: "/doctest" },
        ],
      },
      {
        text: "Reference",
        items: [
          { text: "CLI", link: "/cli" },
          { text: "API", link: "/api/", collapsed: true, items: apiSidebar() },
        ],
      },
      {
        text: "Results",
        items: [
          { text: "Experiments E1–E3", link: "/results/README" },
          { text: "Benchmarks", link: "/benchmarks" },
          { text: "In-browser demo", link: "/demo" },
        ],
      },
    ],
    search: { provider: "local" },
    outline: [2, 3],
  },
  vite: {
    worker: { format: "es" },
  },
});

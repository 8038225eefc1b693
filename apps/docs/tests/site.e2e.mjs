#!/usr/bin/env node
// End-to-end tests of the built docs site (apps/docs/dist) in Debian's chromium, driven by
// playwright-core, served on 127.0.0.1. Checks: every page renders without console errors, no
// broken internal links, math renders, every package has API pages, search finds a symbol, and
// the in-browser demo reaches a certified solution, draws the token map and reacts to the λ
// slider. Screenshots go to apps/docs/test-output/screenshots/.
// Usage: node tests/site.e2e.mjs   (after `pnpm --dir apps/docs build`)
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import sirv from "sirv";

const site = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(site, "dist");
const shots = join(site, "test-output", "screenshots");
const PACKAGES = ["tensors", "solvers", "attention", "baselines", "interpret", "io", "experiments"];
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

const failures = [];
let passed = 0;
function check(name, ok, detail = "") {
  if (ok) passed++;
  else failures.push(`${name}${detail ? `: ${detail}` : ""}`);
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${!ok && detail ? ` (${detail})` : ""}`);
}

if (!existsSync(join(dist, "index.html"))) {
  console.error(`no built site at ${dist}: run \`pnpm --dir apps/docs build\` first`);
  process.exit(1);
}
if (!existsSync(CHROMIUM)) {
  console.error(`no chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  process.exit(1);
}

function htmlFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...htmlFiles(path));
    else if (entry.name.endsWith(".html") && entry.name !== "404.html") out.push(path);
  }
  return out;
}

// 1. Static link check: every internal href of every page points to a file of the build.
const pages = htmlFiles(dist).map((f) => `/${relative(dist, f)}`);
const broken = [];
for (const page of pages) {
  const html = readFileSync(join(dist, page), "utf8");
  for (const [, href] of html.matchAll(/<a [^>]*href="([^"#?]*)[^"]*"/g)) {
    if (href === "" || /^[a-z]+:/i.test(href) || href.startsWith("//")) continue;
    const target = href.startsWith("/") ? href : join(dirname(page), href);
    const file = join(dist, decodeURIComponent(target));
    const ok =
      existsSync(file) && !file.endsWith("/")
        ? true
        : existsSync(join(file, "index.html")) || existsSync(`${file}.html`);
    if (!ok) broken.push(`${page} → ${href}`);
  }
}
check(
  `no broken internal links across ${pages.length} pages`,
  broken.length === 0,
  broken.slice(0, 10).join("; "),
);

const serve = sirv(dist, { dev: false, etag: true });
const server = createServer((req, res) =>
  serve(req, res, () => {
    res.statusCode = 404;
    res.end("not found");
  }),
);
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
mkdirSync(shots, { recursive: true });

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  let errors = [];
  page.on("console", (m) => {
    // Resource errors are reported with their URL by the response handler below.
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource"))
      errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  // Prefetches of linked pages are cancelled when the test navigates on (net::ERR_ABORTED).
  page.on("requestfailed", (r) => {
    if (r.failure()?.errorText !== "net::ERR_ABORTED") errors.push(`request failed: ${r.url()}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
  });

  // 2. Every page renders (has its content) without console errors.
  const bad = [];
  for (const p of pages) {
    errors = [];
    const response = await page.goto(`${base}${p}`, { waitUntil: "load" });
    const hasContent = (await page.locator(".VPContent").count()) > 0;
    if (response?.status() !== 200 || !hasContent || errors.length > 0) {
      bad.push(`${p} (${response?.status()}, content=${hasContent}, ${errors.join(" | ")})`);
    }
  }
  check(
    `all ${pages.length} pages render without console errors`,
    bad.length === 0,
    bad.slice(0, 5).join("; "),
  );

  // 3. Landing page, math, API pages.
  errors = [];
  await page.goto(`${base}/index.html`);
  check(
    "landing page has the hero",
    (await page.locator(".VPHero .name").textContent())?.includes("Convexformer") === true,
  );
  await page.screenshot({ path: join(shots, "landing.png"), fullPage: true });
  await page.goto(`${base}/concepts.html`);
  const math = await page.locator("mjx-container").count();
  check("math renders on the concepts page (MathJax SVG)", math > 20, `${math} formulas`);
  for (const pkg of PACKAGES) {
    const response = await page.goto(`${base}/api/@convexformer/${pkg}/index.html`);
    const title = await page.locator(".vp-doc h1").first().textContent();
    check(
      `API landing page of @convexformer/${pkg}`,
      response?.status() === 200 && title?.includes(pkg) === true,
      title ?? "",
    );
  }
  await page.goto(`${base}/api/@convexformer/attention/functions/fitConvexAttention.html`);
  check(
    "API page of fitConvexAttention has its example",
    (await page.locator(".vp-doc pre").count()) > 0,
  );
  await page.screenshot({ path: join(shots, "api-fitConvexAttention.png"), fullPage: false });

  // 4. Search finds a symbol.
  await page.goto(`${base}/index.html`);
  await page.locator(".VPNavBarSearch button").click();
  await page.locator("#localsearch-input").fill("fitConvexAttention");
  const hit = page.locator(".VPLocalSearchBox .result", { hasText: "fitConvexAttention" }).first();
  await hit.waitFor({ timeout: 15_000 }).catch(() => {});
  check("search finds fitConvexAttention", (await hit.count()) > 0);
  await page.keyboard.press("Escape");

  // 5. The in-browser demo: certified solve, token map, slider, stop.
  errors = [];
  await page.goto(`${base}/demo.html`);
  const status = page.getByTestId("status");
  await page.waitForFunction(() => document.querySelector("[data-testid=gap]") !== null, null, {
    timeout: 60_000,
  });
  const gap = Number(await page.getByTestId("gap").textContent());
  check(
    "demo reaches a certified solution (gap ≤ 1e-6)",
    (await status.textContent())?.includes("Certified") === true && gap <= 1e-6,
    `gap ${gap}`,
  );
  const cells = await page.locator("[data-testid=token-map] .mark-rect.role-mark path").count();
  check(
    "demo draws the token map with interpret (one cell per token)",
    cells === 12,
    `${cells} cells`,
  );
  const panels = await page.locator("[data-testid=convergence] svg").count();
  check("demo draws the convergence figure with interpret", panels === 1);
  const supportAt = async () => Number(await page.getByTestId("support").textContent());
  const support0 = await supportAt();
  await page.screenshot({ path: join(shots, "demo.png"), fullPage: true });
  // λ = λ_max: the zero solution, empty support.
  await page.getByTestId("lambda-slider").fill("100");
  await page.waitForFunction(
    () =>
      document.querySelector("[data-testid=lambda-ratio]")?.textContent === "1.00" &&
      document.querySelector("[data-testid=support]") !== null &&
      !document.querySelector("[data-testid=status]")?.textContent?.includes("Solving"),
    null,
    { timeout: 60_000 },
  );
  await page.waitForTimeout(300);
  const supportMax = await supportAt();
  check(
    "slider to λ_max empties the support",
    supportMax === 0,
    `support ${support0} → ${supportMax}`,
  );
  // Small λ: a larger support than at the default.
  await page.getByTestId("lambda-slider").fill("5");
  await page.waitForFunction(
    () =>
      document.querySelector("[data-testid=lambda-ratio]")?.textContent !== "1.00" &&
      document.querySelector("[data-testid=support]") !== null &&
      !document.querySelector("[data-testid=status]")?.textContent?.includes("Solving"),
    null,
    { timeout: 120_000 },
  );
  await page.waitForTimeout(300);
  const supportSmall = await supportAt();
  check(
    "slider to a small λ grows the support",
    supportSmall > support0,
    `support ${support0} → ${supportSmall}`,
  );
  check("the demo page has no console errors", errors.length === 0, errors.join(" | "));
  await page.screenshot({ path: join(shots, "demo-small-lambda.png"), fullPage: true });
} finally {
  await browser.close();
  server.close();
}

console.log(`\nsite e2e: ${passed} passed, ${failures.length} failed`);
if (failures.length > 0) {
  for (const f of failures) console.error(`  ${f}`);
  process.exit(1);
}

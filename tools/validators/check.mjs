// Run pa11y or Lighthouse over pages of a site served on loopback, with
// Debian's chromium, and print one JSON object: page -> findings.
// Used by tests/test_validators.py; installed with its packages into
// .venv/validators by the Makefile (node resolves them from there).
//
//   node check.mjs '{"tool": "pa11y" | "lighthouse", "base": "http://127.0.0.1:PORT/",
//                    "pages": [...], "chromium": "/usr/bin/chromium", "flags": [...],
//                    "forms": ["desktop", "mobile"]}'   (Lighthouse; results "page" and "page@mobile")
import { createRequire } from "node:module";

const require = createRequire(process.env.KB_VALIDATORS + "/package.json");
const job = JSON.parse(process.argv[2]);
const results = {};

if (job.tool === "pa11y") {
  const pa11y = require("pa11y");
  const puppeteer = require("puppeteer");
  const browser = await puppeteer.launch({ executablePath: job.chromium, args: job.flags, headless: true });
  for (const page of job.pages) {
    const report = await pa11y(job.base + page, {
      browser,
      standard: "WCAG2AA",
      runners: ["htmlcs"],
      includeWarnings: true,
      timeout: 60000,
    });
    results[page] = report.issues.map((i) => ({ type: i.type, code: i.code, message: i.message, selector: i.selector }));
  }
  await browser.close();
} else if (job.tool === "lighthouse") {
  // The three categories need neither the full-page screenshot nor the default waits for a
  // quiet network and CPU (1 s each, for performance metrics): the pages are static and load
  // from loopback. Half the time per page (benchmarks/FINDINGS.md, "The test suite"); console
  // errors after load are also watched by the browser tests (tests/test_browser_*.py).
  const FAST = {
    disableFullPageScreenshot: true,
    pauseAfterFcpMs: 0,
    pauseAfterLoadMs: 100,
    networkQuietThresholdMs: 100,
    cpuQuietThresholdMs: 100,
  };
  const { default: lighthouse } = await import(require.resolve("lighthouse"));
  const { default: desktop } = await import(require.resolve("lighthouse/core/config/desktop-config.js"));
  const chromeLauncher = require("chrome-launcher");
  const chrome = await chromeLauncher.launch({ chromePath: job.chromium, chromeFlags: job.flags });
  // Issue 25: every page at desktop and at mobile width (Lighthouse's default config: a
  // phone's screen, touch targets), one after the other in the same browser.
  const FORMS = { desktop, mobile: undefined };
  try {
    for (const [page, form] of job.pages.flatMap((p) => (job.forms || ["desktop"]).map((f) => [p, f]))) {
      const { lhr } = await lighthouse(
        job.base + page,
        { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["accessibility", "best-practices", "seo"], ...FAST },
        FORMS[form],
      );
      const failed = [];
      for (const category of Object.values(lhr.categories)) {
        for (const ref of category.auditRefs) {
          const audit = lhr.audits[ref.id];
          if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
            const items = (audit.details?.items || []).slice(0, 5).map((i) => i.node?.snippet || i.node?.selector || "");
            failed.push(`${category.id}: ${ref.id} ${items.join(" ")}`.trim());
          }
        }
      }
      results[form === "desktop" ? page : `${page}@${form}`] = {
        scores: Object.fromEntries(Object.values(lhr.categories).map((c) => [c.id, Math.round(c.score * 100)])),
        failed,
      };
    }
  } finally {
    await chrome.kill();
  }
} else {
  throw new Error(`unknown tool ${job.tool}`);
}
process.stdout.write(JSON.stringify(results));

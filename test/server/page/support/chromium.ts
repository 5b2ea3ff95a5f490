import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

/** Debian's Chromium: the only browser these tests drive (nothing is downloaded). */
export const CHROMIUM = "/usr/bin/chromium";

/** Whether the browser tests can run here. */
export const HAVE_CHROMIUM = existsSync(CHROMIUM);

/**
 * `describe` when Chromium is installed; otherwise `describe.skip`, with a title that names the
 * Debian package to install (`.ci/run` installs it and fails on any skipped test).
 */
export function describeInChromium(title: string, body: () => void): void {
  if (HAVE_CHROMIUM) describe(title, body);
  else describe.skip(`${title} (skipped: ${CHROMIUM} is missing; install the Debian package chromium: apt-get install -y chromium)`, body);
}

/** Where tests leave files for people to look at (gitignored). */
export const TEST_OUTPUT = join(process.cwd(), "test-output");

/** One headless Chromium with a new, empty profile; `close()` ends it and removes the profile. */
export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Starts Chromium headless, offline-minded: no sandbox (root in CI), no GPU, no background traffic. */
export async function launchChromium(): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), "rollgate-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1440, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Makes the test output folder and returns the path of a file in it. */
export async function testOutputFile(name: string): Promise<string> {
  await mkdir(TEST_OUTPUT, { recursive: true });
  return join(TEST_OUTPUT, name);
}

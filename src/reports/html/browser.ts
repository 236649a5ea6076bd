import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { InputError } from '../../errors.js';

/** Debian's chromium package; STAYAUDIT_CHROMIUM points elsewhere. Never a browser of the library's own. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env['STAYAUDIT_CHROMIUM'] || '/usr/bin/chromium';
}

/** Flags for a headless browser that talks to nobody: no GPU, no sync, no updates, no QUIC. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface HeadlessBrowser {
  /** The browser's one context, on the fresh profile. */
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile directory, removed on close. */
export async function launchChromium(env: NodeJS.ProcessEnv = process.env): Promise<HeadlessBrowser> {
  const executablePath = chromiumPath(env);
  if (!fs.existsSync(executablePath)) {
    throw new InputError(`no browser at ${executablePath} to print the PDF with`, {
      hint: "install Debian's chromium (apt-get install chromium) or set STAYAUDIT_CHROMIUM to a Chromium binary",
    });
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'stayaudit-chromium-'));
  let context: BrowserContext;
  try {
    // Playwright passes the profile as --user-data-dir; a fresh one each time, removed on close.
    context = await chromium.launchPersistentContext(profile, { executablePath, args: CHROMIUM_ARGS, headless: true, offline: true });
  } catch (error) {
    fs.rmSync(profile, { recursive: true, force: true });
    throw new InputError(`cannot start ${executablePath}: ${(error as Error).message.split('\n')[0]}`, { hint: 'check that the chromium package is installed and runs (chromium --version)' });
  }
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Prints an HTML file to an A4 PDF, as the page's print CSS lays it out. */
export async function printToPdf(htmlFile: string, pdfFile: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const headless = await launchChromium(env);
  try {
    const page = await headless.context.newPage();
    await page.goto(pathToFileURL(path.resolve(htmlFile)).href, { waitUntil: 'load' });
    // Under a temporary name, then renamed: nobody reads half a PDF.
    const temp = path.join(path.dirname(pdfFile), `.${path.basename(pdfFile)}.tmp-${process.pid}`);
    try {
      await page.pdf({ path: temp, format: 'A4', printBackground: true, preferCSSPageSize: true });
      fs.renameSync(temp, pdfFile);
    } finally {
      fs.rmSync(temp, { force: true });
    }
  } finally {
    await headless.close();
  }
}

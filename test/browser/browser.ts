/**
 * Chromium for the browser tests: Debian's `/usr/bin/chromium` driven by playwright-core.
 * Nothing here ever downloads a browser (playwright-core has no browser of its own; we only
 * ever pass `executablePath`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
	chromium,
	type BrowserContext,
	type Locator,
	type Page,
	type Response,
} from 'playwright-core';

import { packPackage, REPO_ROOT } from '../../runtime/n8n';
import { e2eMajors } from '../e2e/majors';

/** The n8n majors the browser files run on: SKEEPERS_BROWSER_MAJORS, else SKEEPERS_E2E_MAJORS, else both. */
export const BROWSER_MAJORS = e2eMajors(process.env.SKEEPERS_BROWSER_MAJORS);
/** installing an n8n major into runtime/ (once per machine) */
export const INSTALL_TIMEOUT = 20 * 60_000;
/** packing, or starting a stack and Chromium */
export const START_TIMEOUT = 5 * 60_000;

const CHROMIUM = process.env.SKEEPERS_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
const VIEWPORT = { width: 1400, height: 800 };
/** git-ignored (`screenshots/` in .gitignore) */
const SCREENSHOT_DIR = path.join(REPO_ROOT, 'screenshots', 'browser');

export interface Browser {
	context: BrowserContext;
	page: Page;
	/** every response of the page so far: url → status, content-type */
	responses: Map<string, { status: number; contentType: string }>;
	/** console errors and page errors, for failure messages */
	errors: string[];
	screenshot(name: string, target?: Locator): Promise<string>;
	close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(
			`${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium). The tests never download a browser.`,
		);
	}
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skeepers-chromium-'));
	let context: BrowserContext;
	try {
		context = await chromium.launchPersistentContext(userDataDir, {
			executablePath: CHROMIUM,
			headless: true,
			args: CHROMIUM_ARGS,
			viewport: VIEWPORT,
			deviceScaleFactor: 1,
			locale: 'en-US',
			timezoneId: 'UTC',
			colorScheme: 'light',
			timeout: 60_000,
		});
	} catch (e) {
		fs.rmSync(userDataDir, { recursive: true, force: true });
		throw e;
	}
	const page = context.pages()[0] ?? (await context.newPage());
	page.setDefaultTimeout(30_000);
	page.setDefaultNavigationTimeout(60_000);
	const responses = new Map<string, { status: number; contentType: string }>();
	const errors: string[] = [];
	page.on('response', (r: Response) => {
		responses.set(r.url(), { status: r.status(), contentType: r.headers()['content-type'] ?? '' });
	});
	page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
	page.on('console', (m) => {
		if (m.type() === 'error') errors.push(`console: ${m.text()}`);
	});
	fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
	let closed = false;
	return {
		context,
		page,
		responses,
		errors,
		screenshot: async (name, target) => {
			const file = path.join(SCREENSHOT_DIR, `${name}.png`);
			if (target) await target.screenshot({ path: file, animations: 'disabled' });
			else await page.screenshot({ path: file, animations: 'disabled' });
			return file;
		},
		close: async () => {
			if (closed) return;
			closed = true;
			try {
				await context.close();
			} finally {
				fs.rmSync(userDataDir, { recursive: true, force: true });
			}
		},
	};
}

/** The sign-in form (same names on 2.41.1 and 1.123.81). */
export async function signIn(
	page: Page,
	baseUrl: string,
	owner: { email: string; password: string },
): Promise<void> {
	await page.goto(`${baseUrl}/signin`);
	await page.locator('input[name="emailOrLdapLoginId"]').fill(owner.email);
	await page.locator('input[name="password"]').fill(owner.password);
	await page.locator('[data-test-id="form-submit-button"]').click();
	await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 60_000 });
}

/** Opens a workflow (unless the canvas already shows it) and waits until it shows `expectedNodes` nodes. */
export async function openWorkflow(
	page: Page,
	baseUrl: string,
	workflowId: string,
	expectedNodes: number,
): Promise<void> {
	const here = new URL(page.url(), baseUrl).pathname === `/workflow/${workflowId}`;
	const ndvOpen = await page.locator('[data-test-id="ndv"]').isVisible();
	const modalOpen = await page.locator('[data-test-id="editCredential-modal"]').isVisible();
	// already there (a reload costs 5-10 s on a busy machine)
	if (!here || ndvOpen || modalOpen) await page.goto(`${baseUrl}/workflow/${workflowId}`);
	await page
		.locator('[data-test-id="canvas-node"]')
		.nth(expectedNodes - 1)
		.waitFor({ state: 'visible', timeout: 60_000 });
}

/** What a parameter input shows: the values of its inputs, then its visible text. */
export async function shownValue(input: Locator): Promise<string> {
	// runs in the page; the repo's tsconfig has no DOM lib, hence the structural types
	return input.evaluate((el) => {
		const values = [...el.querySelectorAll('input, textarea')]
			.map((i) => (i as unknown as { value: string }).value)
			.filter((v) => v !== '');
		return [...values, (el as unknown as { innerText: string }).innerText]
			.join(' ')
			.replace(/\s+/g, ' ')
			.trim();
	});
}

/**
 * What a parameter input shows once `accept` takes it, or the last value seen after `timeoutMs`.
 * Dynamic option lists (Object, Match On, each Mapping row's Remote Field) load from Salesforce
 * after the panel opens, row by row; until then an input shows an empty or placeholder value. The
 * caller asserts on the returned value, so a value that never comes still fails, with what was shown.
 */
export async function settledValue(
	input: Locator,
	accept: (shown: string) => boolean,
	timeoutMs = 30_000,
): Promise<string> {
	return await settled(() => shownValue(input), accept, timeoutMs);
}

/** `read()` again every 250 ms until `accept` takes its value, or the last value after `timeoutMs`. */
export async function settled<T>(
	read: () => Promise<T>,
	accept: (value: T) => boolean,
	timeoutMs = 30_000,
): Promise<T> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const value = await read();
		if (accept(value) || Date.now() >= until) return value;
		await new Promise((r) => setTimeout(r, 250));
	}
}

/**
 * Closes the "Production Checklist" popover n8n 2.x opens over the canvas of a published
 * workflow (it would hide nodes in screenshots). No-op when it does not show up within 3 s.
 */
export async function dismissChecklist(page: Page): Promise<void> {
	const title = page.getByText('Production Checklist', { exact: true });
	try {
		await title.waitFor({ state: 'visible', timeout: 3_000 });
	} catch {
		return;
	}
	await page.keyboard.press('Escape');
	try {
		await title.waitFor({ state: 'hidden', timeout: 3_000 });
		return;
	} catch {
		/* Escape did not close it: use its close button */
	}
	const popover = page
		.locator('[role="dialog"], [data-reka-popper-content-wrapper]')
		.filter({ has: title })
		.first();
	await popover.locator('button').first().click();
	await title.waitFor({ state: 'hidden', timeout: 10_000 });
}

/** The first line of a dropdown item: its name (the description, if any, comes below). */
const optionName = (text: string): string => text.split('\n')[0].trim();

/**
 * The names a dropdown (element-plus `el-select`) lists: opens it, reads each item's name,
 * closes it (Escape, which the open select keeps to itself). [] when no list opens within 5 s
 * (a select still loading or re-rendering ignores the click): callers read again via settled().
 */
export async function dropdownOptions(page: Page, input: Locator): Promise<string[]> {
	await input.click();
	const items = page.locator('.el-select-dropdown__item:visible');
	try {
		await page
			.locator('.el-select-dropdown:visible')
			.first()
			.waitFor({ state: 'visible', timeout: 5_000 });
	} catch {
		return [];
	}
	const names = (await items.allInnerTexts()).map(optionName);
	await page.keyboard.press('Escape');
	await page.locator('.el-select-dropdown:visible').first().waitFor({ state: 'hidden' });
	return names;
}

/** Opens a dropdown and clicks the item named `name`; fails with the names it lists otherwise. */
export async function pickOption(page: Page, input: Locator, name: string): Promise<void> {
	await input.click();
	const items = page.locator('.el-select-dropdown__item:visible');
	await items.first().waitFor({ state: 'visible' });
	const names = (await items.allInnerTexts()).map(optionName);
	const i = names.indexOf(name);
	if (i < 0) throw new Error(`"${name}" is not among the options: ${names.join(' | ')}`);
	await items.nth(i).click();
	// the list fades out: wait, or the next dropdown read would see its items too
	await page.locator('.el-select-dropdown:visible').first().waitFor({ state: 'hidden' });
}

/**
 * Runs one test's steps; a failure gets a screenshot and, appended to its message, what the open
 * node panel showed, the browser's last errors and n8n's last relevant log lines.
 */
export async function withDiagnostics(
	ctx: { browser?: Browser; log: readonly string[]; shot: (name: string) => Promise<unknown> },
	fn: () => Promise<void>,
): Promise<void> {
	try {
		await fn();
	} catch (e) {
		const { browser, log } = ctx;
		if (browser) await ctx.shot('failure').catch(() => undefined);
		// what the open panel showed (CI keeps only the printed output, not the screenshot)
		const panelLocator = browser?.page.locator(
			'[data-test-id="ndv"] [data-test-id="node-parameters"]',
		);
		const panel =
			panelLocator && (await panelLocator.isVisible())
				? await shownValue(panelLocator).then(
						(t) => `values and text: ${t.slice(0, 2_000)}`,
						(err: Error) => err.message,
					)
				: '(no node panel open)';
		const extra = [
			`--- node panel ---`,
			panel,
			`--- browser errors ---`,
			...(browser?.errors.slice(-15) ?? []),
			`--- n8n log ---`,
			...log
				.filter((l) => /^\[(launcher|stack)\]|error/i.test(l) && !/api\.n8n\.io|^\s+at /.test(l))
				.slice(-15),
		].join('\n');
		(e as Error).message += `\n${extra}`;
		throw e;
	}
}

/**
 * The package packed once for a test file (in its beforeAll) into a temporary directory that its
 * afterAll removes; `dir` also holds the file's own scratch files.
 */
export function packOncePerFile(
	prefix: string,
	timeoutMs: number,
): { dir: string; tarball(): string | undefined } {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	let tarball: string | undefined;
	beforeAll(async () => {
		tarball = await packPackage({ outDir: dir });
	}, timeoutMs);
	afterAll(() => {
		fs.rmSync(dir, { recursive: true, force: true });
	});
	return { dir, tarball: () => tarball };
}

// The n8n editor as the browser test drives it: Debian's Chromium through playwright-core, one page
// per check, and a watch on what the editor asks the server for the Qlara nodes.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, selectors, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** What the editor asks for the Qlara nodes: list searches, the Variables mapper, credential tests, icons. */
const QLARA_REQUEST = /\/rest\/dynamic-node-parameters\/|\/rest\/credentials\/test|\/icons\/n8n-nodes-qlara\//;

export interface Trouble {
	kind: 'response' | 'pageerror';
	text: string;
}

export class Editor {
	/** Failed Qlara requests and page errors, in order; each check looks at the ones it caused. */
	readonly troubles: Trouble[] = [];

	private constructor(
		readonly context: BrowserContext,
		readonly baseUrl: string,
		readonly screenshots: string,
	) {}

	static async launch(baseUrl: string, screenshots: string): Promise<Editor> {
		selectors.setTestIdAttribute('data-test-id');
		mkdirSync(screenshots, { recursive: true });
		const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'qlara-chromium-')), {
			executablePath: CHROMIUM,
			headless: true,
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run',
			],
			viewport: { width: 1280, height: 860 },
		});
		context.setDefaultTimeout(60_000);
		return new Editor(context, baseUrl, screenshots);
	}

	/** A new tab, watched: a Qlara request answered ≥ 400 or a page error is a trouble. */
	async page(): Promise<Page> {
		const page = await this.context.newPage();
		page.on('pageerror', (error) => this.troubles.push({ kind: 'pageerror', text: `${page.url()}: ${error.message}` }));
		page.on('response', (response) => {
			if (response.status() >= 400 && QLARA_REQUEST.test(response.url())) {
				void response.text().then(
					(body) => this.troubles.push({ kind: 'response', text: `${response.status()} ${response.request().method()} ${response.url()}: ${body.slice(0, 300)}` }),
					() => this.troubles.push({ kind: 'response', text: `${response.status()} ${response.url()}` }),
				);
			}
		});
		return page;
	}

	async signIn(email: string, password: string): Promise<void> {
		const page = await this.page();
		await page.goto(`${this.baseUrl}/signin`);
		await page.locator('input[name=emailOrLdapLoginId]').fill(email);
		await page.locator('input[name=password]').fill(password);
		await page.getByTestId('form-submit-button').click();
		await page.waitForURL((url) => !url.pathname.includes('signin'));
		await page.close();
	}

	/** A workflow on its canvas. */
	async openWorkflow(id: string): Promise<Page> {
		const page = await this.page();
		await page.goto(`${this.baseUrl}/workflow/${id}`);
		// A loaded machine (the suites of other work beside) can take minutes to draw the canvas.
		await page.getByTestId('canvas-node').first().waitFor({ timeout: 180_000 });
		return page;
	}

	/** The node's panel (NDV), opened by a double click on the canvas, as a user does. */
	async openNode(page: Page, name: string): Promise<Locator> {
		await page.getByTestId('canvas-node').filter({ hasText: name }).first().dblclick();
		const panel = page.getByTestId('ndv');
		await panel.getByTestId('node-parameters').waitFor();
		return panel;
	}

	async screenshot(target: Page | Locator, name: string): Promise<string> {
		const path = join(this.screenshots, `${name}.jpg`);
		await target.screenshot({ path, type: 'jpeg', quality: 70 });
		return path;
	}

	async close(): Promise<void> {
		await this.context.close();
	}
}

/** The items of a resource locator's "From list" dropdown, once loaded. */
export async function listItems(panel: Locator, parameter: string): Promise<string[]> {
	const page = panel.page();
	await panel.getByTestId(`resource-locator-${parameter}`).getByTestId('rlc-input').click();
	const items = page.getByTestId('rlc-item');
	await items.first().waitFor();
	// n8n shows the chosen value at once and the loaded list after it: wait until the count settles.
	let count = await items.count();
	for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
		await page.waitForTimeout(500);
		const now = await items.count();
		if (now === count && now > 1) break;
		count = now;
	}
	return (await items.allInnerTexts()).map((text) => text.split('\n')[0].trim());
}

/** The labels of the Variables inputs, in order. */
export async function variableLabels(panel: Locator): Promise<string[]> {
	const fields = panel.getByTestId('mapping-fields-container');
	await fields.waitFor();
	const labels = await fields.locator('label[for^="value["] span').allInnerTexts();
	return labels.map((label) => label.split('\n')[0].trim()).filter((label) => /^\{\{\d+\}\}/.test(label));
}

import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IHookFunctions,
	INodeCredentialTestResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { triggerProperties } from './description';
import { configProblems, verifyConfigFromCredential } from './signature';
import { handleDelivery } from './webhook';

export class SkeepersTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Skeepers Trigger',
		name: 'skeepersTrigger',
		icon: { light: 'file:skeepersTrigger.svg', dark: 'file:skeepersTrigger.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves exactly as 1. n8n evaluates an expression on every request to a typeVersion 1
		// start node (`$parameter["options"]["binaryData"]`, an option this node does not have) and
		// not at 1.1; with n8n's default engine that evaluation is the first in a fresh isolate,
		// the costliest part of a delivery after building the isolate itself. Nodes already in a
		// workflow stay at 1. See docs/performance.md, Webhook intake.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle:
			'={{$parameter["authentication"] === "none" ? "Unauthenticated" : "Authenticated deliveries"}}',
		description: 'Starts the workflow when a Skeepers campaign action notifies a URL',
		eventTriggerDescription: 'Waiting for a Skeepers delivery to the Test URL',
		activationMessage: 'Skeepers deliveries to the Production URL now start this workflow.',
		defaults: {
			name: 'Skeepers Trigger',
		},
		inputs: [],
		// A second output, Unrecognized, when Required Fields send misses there (required.ts).
		outputs: `={{ $parameter["onMissing"] === "output" ? [{ "type": "${NodeConnectionTypes.Main}", "displayName": "Recognized" }, { "type": "${NodeConnectionTypes.Main}", "displayName": "Unrecognized" }] : ["${NodeConnectionTypes.Main}"] }}`,
		credentials: [
			{
				name: 'skeepersWebhookApi',
				required: true,
				testedBy: 'skeepersWebhookApiTest',
				displayOptions: { show: { authentication: ['skeepersWebhookApi'] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'skeepers',
			},
		],
		properties: triggerProperties,
	};

	methods = {
		credentialTest: {
			// Skeepers calls n8n, so there is nothing remote to call: check the settings themselves.
			async skeepersWebhookApiTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const config = verifyConfigFromCredential(
					(credential.data ?? {}) as Record<string, unknown>,
				);
				const problems = configProblems(config);
				if (problems.length > 0) {
					return { status: 'Error', message: `Check the credential: ${problems.join('; ')}` };
				}
				return {
					status: 'OK',
					message:
						'Settings are valid. Send a test delivery (npm run replay) to check Skeepers uses the same secret.',
				};
			},
		},
	};

	// Nothing is registered remotely: Skeepers offers no API to create a "Notify by URL" action,
	// so the user pastes the URL in Skeepers (see the notice). These only satisfy n8n's lifecycle.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	/** One delivery: verify → parse → respond → items (webhook.ts). */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery.call(this);
	}
}

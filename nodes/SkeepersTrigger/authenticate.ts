// Step 1 of a delivery: is it from Skeepers? Checks the token or HMAC signature with the
// credential's material (reused for a short time, see verifyCache.ts).
import type { IWebhookFunctions } from 'n8n-workflow';

import type { DeliveryRequest, RawBody } from './request';
import { queryOf } from './request';
import { verifyConfigFromCredential, verifyDelivery, type VerifyConfig } from './signature';
import {
	VERIFY_CACHE_TTL_MS,
	verifyCacheKey,
	verifyMaterial,
	verifyWithCache,
	type Check,
} from './verifyCache';

export type Authentication =
	| {
			ok: true;
			/** The material that verified; undefined when authentication is off. */ config?: VerifyConfig;
	  }
	| { ok: false; status: number; error: string };

export async function authenticate(
	ctx: IWebhookFunctions,
	authentication: string,
	req: DeliveryRequest,
	body: RawBody,
): Promise<Authentication> {
	if (authentication === 'none') return { ok: true };
	const node = ctx.getNode();
	const key = verifyCacheKey(
		typeof ctx.getWorkflow === 'function' ? ctx.getWorkflow().id : undefined,
		node.id,
		node.credentials?.skeepersWebhookApi?.id,
	);
	const check = (c: VerifyConfig): Check => {
		if (c.secret === '') {
			return {
				ok: false,
				status: 500,
				error: 'Skeepers Trigger is misconfigured: the credential has no secret',
			};
		}
		if (c.mode === 'hmac' && !body.exact) {
			return {
				ok: false,
				status: 401,
				error: 'unauthorized: the raw body is not available to verify the signature',
			};
		}
		const verdict = verifyDelivery(c, {
			headers: req.headers,
			query: queryOf(req),
			rawBody: body.bytes,
			nowMs: Date.now(),
		});
		return verdict.ok
			? verdict
			: { ok: false, status: 401, error: `unauthorized: ${verdict.reason}` };
	};
	let verified: { material: VerifyConfig; check: Check };
	try {
		verified = await verifyWithCache({
			cache: verifyMaterial,
			key,
			ttlMs: VERIFY_CACHE_TTL_MS,
			read: async () =>
				verifyConfigFromCredential(
					(await ctx.getCredentials('skeepersWebhookApi')) as Record<string, unknown>,
				),
			check,
		});
	} catch {
		return {
			ok: false,
			status: 500,
			error: 'Skeepers Trigger is misconfigured: its credential could not be read',
		};
	}
	if (!verified.check.ok) return verified.check;
	return { ok: true, config: verified.material };
}

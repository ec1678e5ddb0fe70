/**
 * The standard Contact and Lead duplicate rules (active, action Allow with alert).
 *
 * Salesforce's standard matching rules are fuzzy on names (Bob ~ Robert) and exact on e-mail,
 * with blank fields never matching. The emulator models the exact-identical subset: same
 * FirstName, LastName and Email (trimmed, case-insensitive), all three non-blank, on a record
 * of the same object other than the one being saved and not written earlier in the same batch.
 */
import { to18 } from '../ids';
import type { SfError } from '../errors';
import type { EmuObject } from '../schema';
import type { Rec, Store } from '../store';
import type { SaveContext } from './index';

const DUPLICATE_RULES: Record<string, { rule: string; matchRule: string }> = {
	Contact: {
		rule: 'Standard_Contact_Duplicate_Rule',
		matchRule: 'Standard_Contact_Match_Rule_v1_1',
	},
	Lead: { rule: 'Standard_Lead_Duplicate_Rule', matchRule: 'Standard_Lead_Match_Rule_v1_0' },
};

/** The alert the standard rules show; the API error's message is "Use one of these records?". */
const ALERT =
	"You're creating a duplicate record. We recommend you use an existing record instead.";
const DUPLICATES_MESSAGE = 'Use one of these records?';

const norm = (v: unknown): string => (typeof v === 'string' ? v.trim().toLowerCase() : '');

/** Existing records the rule matches `rec` with (ids, in store order). */
function duplicatesOf(
	store: Store,
	o: EmuObject,
	rec: Rec,
	exclude: (id: string) => boolean,
): Rec[] {
	if (!DUPLICATE_RULES[o.name]) return [];
	const key = [rec.FirstName, rec.LastName, rec.Email].map(norm);
	if (key.some((k) => k === '')) return [];
	return store
		.findBy(o.name, 'Email', String(rec.Email).trim())
		.filter((r) => !exclude(String(r.Id)))
		.filter((r) => norm(r.FirstName) === key[0] && norm(r.LastName) === key[1]);
}

export function duplicateErrors(
	store: Store,
	o: EmuObject,
	rec: Rec,
	selfId: string | undefined,
	ctx: SaveContext,
): SfError[] {
	const self = selfId ? to18(selfId) : undefined;
	const matches = duplicatesOf(store, o, rec, (id) => id === self || ctx.batch.has(id));
	if (!matches.length) return [];
	const names = DUPLICATE_RULES[o.name];
	return [
		{
			errorCode: 'DUPLICATES_DETECTED',
			message: DUPLICATES_MESSAGE,
			fields: [],
			duplicateResult: {
				allowSave: true,
				duplicateRule: names.rule,
				duplicateRuleEntityType: o.name,
				errorMessage: ALERT,
				matchResults: [
					{
						entityType: o.name,
						errors: [],
						matchEngine: 'FuzzyMatchEngine',
						matchRecords: matches.map((r) => ({
							additionalInformation: [],
							fieldDiffs: [],
							matchConfidence: 100.0,
							record: {
								attributes: {
									type: o.name,
									url: `/services/data/v${ctx.version}/sobjects/${o.name}/${String(r.Id)}`,
								},
								Id: String(r.Id),
							},
						})),
						rule: names.matchRule,
						size: matches.length,
						success: true,
					},
				],
			},
		},
	];
}

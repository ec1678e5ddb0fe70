/** Command-line switches of the org's parts: `--blank-org` (all off) or `--no-<part>`. */
import type { OrgOptions } from './index';

const PARTS: Record<string, keyof OrgOptions> = {
	'no-duplicate-rules': 'duplicateRules',
	'no-assignment-rules': 'assignmentRules',
	'no-validation-rules': 'validationRules',
	'no-field-security': 'fieldSecurity',
};

export const ORG_FLAGS = ['blank-org', ...Object.keys(PARTS)];

export function orgFromFlags(flags: Record<string, string | true>): OrgOptions | false {
	const on = (k: string): boolean => flags[k] === true || flags[k] === 'true';
	if (on('blank-org')) return false;
	const out: OrgOptions = {};
	for (const [flag, part] of Object.entries(PARTS)) if (on(flag)) out[part] = false;
	return out;
}

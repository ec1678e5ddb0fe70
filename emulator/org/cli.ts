/** Command-line switches of the org's parts: `--blank-org` (all off) or `--no-<part>`. */
import type { OrgOptions } from './index';

const PARTS: Record<string, keyof OrgOptions> = {
	'no-duplicate-rules': 'duplicateRules',
	'no-assignment-rules': 'assignmentRules',
	'no-validation-rules': 'validationRules',
	'no-field-security': 'fieldSecurity',
};

/** flag → help; every one is a boolean switch. */
export const ORG_FLAGS: Record<string, string> = {
	'blank-org': 'a blank org: no duplicate, assignment or validation rules, no field security',
	'no-duplicate-rules': 'turn the standard Contact and Lead duplicate rules off',
	'no-assignment-rules': 'turn the Lead and Case assignment rules off',
	'no-validation-rules': 'turn the validation rules off',
	'no-field-security': 'the integration user may edit every field',
};

export function orgFromFlags(flags: Record<string, unknown>): OrgOptions | false {
	const on = (k: string): boolean => flags[k] === true || flags[k] === 'true';
	if (on('blank-org')) return false;
	const out: OrgOptions = {};
	for (const [flag, part] of Object.entries(PARTS)) if (on(flag)) out[part] = false;
	return out;
}

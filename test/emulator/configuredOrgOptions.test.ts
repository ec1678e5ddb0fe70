/** How the configured org's parts are switched: EmulatorOptions.org and the CLI flags. */
import { orgFromFlags } from '../../emulator/org/cli';
import { resolveOrg } from '../../emulator/org';

const ALL_ON = {
	duplicateRules: true,
	assignmentRules: true,
	validationRules: true,
	fieldSecurity: true,
};

describe('configured org options', () => {
	test('default: every part on; false: a blank org; a part left out of an object stays on', () => {
		expect(resolveOrg(undefined)).toEqual(ALL_ON);
		expect(resolveOrg({})).toEqual(ALL_ON);
		expect(resolveOrg(false)).toEqual({
			duplicateRules: false,
			assignmentRules: false,
			validationRules: false,
			fieldSecurity: false,
		});
		expect(resolveOrg({ duplicateRules: false })).toEqual({ ...ALL_ON, duplicateRules: false });
	});

	test('CLI: --blank-org, or --no-<part> per part', () => {
		expect(orgFromFlags({})).toEqual({});
		expect(orgFromFlags({ 'blank-org': true })).toBe(false);
		expect(
			orgFromFlags({ 'no-duplicate-rules': true, 'no-field-security': 'true', port: '1' }),
		).toEqual({ duplicateRules: false, fieldSecurity: false });
		expect(
			resolveOrg(orgFromFlags({ 'no-assignment-rules': true, 'no-validation-rules': true })),
		).toEqual({ ...ALL_ON, assignmentRules: false, validationRules: false });
	});
});

/**
 * The org's custom validation rules. Each answers FIELD_CUSTOM_VALIDATION_EXCEPTION with its
 * error message and the field it shows the error on, evaluated on the whole record being saved
 * (on update: the stored record merged with the change), like a validation rule formula.
 */
import { sfError, type SfError } from '../errors';
import type { EmuObject } from '../schema';
import type { Rec } from '../store';

interface ValidationRule {
	name: string;
	objects: string[];
	/** true = the record is invalid (the formula "fires"). */
	fires: (r: Rec) => boolean;
	message: string;
	field: string;
}

const blank = (v: unknown): boolean => v === null || v === undefined || String(v).trim() === '';

const VALIDATION_RULES: ValidationRule[] = [
	{
		name: 'NPS_Score_Range',
		objects: ['Contact', 'Lead'],
		fires: (r) =>
			!blank(r.NPS_Score__c) && (Number(r.NPS_Score__c) < 0 || Number(r.NPS_Score__c) > 10),
		message: 'NPS score must be between 0 and 10',
		field: 'NPS_Score__c',
	},
	{
		name: 'Closed_Case_Needs_Description',
		objects: ['Case'],
		fires: (r) => r.Status === 'Closed' && blank(r.Description),
		message: 'Describe the resolution before closing the case',
		field: 'Description',
	},
];

export function validationErrors(o: EmuObject, rec: Rec): SfError[] {
	return VALIDATION_RULES.filter((v) => v.objects.includes(o.name) && v.fires(rec)).map((v) =>
		sfError('FIELD_CUSTOM_VALIDATION_EXCEPTION', v.message, [v.field]),
	);
}

/**
 * Bulk API 2.0 names a parent by its External ID in a column header, not a nested object: the
 * REST form `Contact: {Skeepers_Respondent_Id__c: "r-1"}` becomes the column
 * `Contact.Skeepers_Respondent_Id__c`, and `Who: {attributes: {type: "Lead"}, Email: "…"}`
 * becomes `Lead:Who.Email` (`ObjectType:RelationshipName.IndexedFieldName`).
 */

function isNested(value: unknown): value is Record<string, unknown> {
	return (
		value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)
	);
}

/** The record with each nested parent turned into its Bulk API 2.0 column(s); other keys as they are. */
export function parentColumns(record: Record<string, unknown>): Record<string, unknown> {
	const row: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(record)) {
		if (!isNested(value)) {
			row[key] = value;
			continue;
		}
		const { attributes, ...fields } = value;
		const type = isNested(attributes) && typeof attributes.type === 'string' ? attributes.type : '';
		for (const [field, v] of Object.entries(fields))
			row[`${type ? `${type}:` : ''}${key}.${field}`] = v;
	}
	return row;
}

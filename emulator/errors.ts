/** Salesforce error shapes. Top-level arrays use `errorCode`; collection results use `statusCode`. */

export interface SfError {
	errorCode: string;
	message: string;
	fields: string[];
	/** DUPLICATES_DETECTED only: the matched records (emulator/org/duplicateRules.ts). */
	duplicateResult?: Record<string, unknown>;
}

export const sfError = (errorCode: string, message: string, fields: string[] = []): SfError => ({
	errorCode,
	message,
	fields,
});

/** Thrown by handlers; the server turns it into `status` + `[{message, errorCode, fields?}]`. */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly errors: SfError[],
	) {
		super(errors.map((e) => `${e.errorCode}: ${e.message}`).join('; '));
	}
}

export const httpError = (
	status: number,
	errorCode: string,
	message: string,
	fields?: string[],
): HttpError => new HttpError(status, [sfError(errorCode, message, fields ?? [])]);

export const notFound = (): HttpError =>
	httpError(404, 'NOT_FOUND', 'The requested resource does not exist');

/** The JSON body of a top-level error answer. */
export function topLevelBody(errors: SfError[]): Array<Record<string, unknown>> {
	return errors.map((e) => ({
		...(e.duplicateResult ? { duplicateResult: e.duplicateResult } : {}),
		...(e.fields.length
			? { message: e.message, errorCode: e.errorCode, fields: e.fields }
			: { message: e.message, errorCode: e.errorCode }),
	}));
}

/** One error inside an sObject Collections result. */
export function collectionError(e: SfError): {
	statusCode: string;
	message: string;
	fields: string[];
	duplicateResult?: Record<string, unknown>;
} {
	const out = { statusCode: e.errorCode, message: e.message, fields: e.fields };
	return e.duplicateResult ? { duplicateResult: e.duplicateResult, ...out } : out;
}

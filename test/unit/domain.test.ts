import {
	ERROR_CODES,
	missingMatchValueMessage,
	multipleMatchesError,
	notFoundError,
} from '../../nodes/SkeepersFeedApplication/domain';

describe('domain: the messages of the own error codes', () => {
	it('builds errors listing the Ids', () => {
		const error = multipleMatchesError('Contact', 'Email', 'doublon@exemple.fr', [
			'0035g00000000002AAA',
			'0035g00000000003AAA',
		]);
		expect(error).toEqual({
			errorCode: ERROR_CODES.MULTIPLE_MATCHES,
			message:
				'2 Contact records have Email = "doublon@exemple.fr" (0035g00000000002AAA, 0035g00000000003AAA); nothing was written for this item',
			fields: ['Email'],
		});
		expect(notFoundError('Contact', 'Email', 'x@y.fr')).toEqual({
			errorCode: 'NOT_FOUND',
			message: 'No Contact record has Email = "x@y.fr"',
			fields: ['Email'],
		});
		expect(missingMatchValueMessage(2, 'Email')).toBe(
			'Item 3: the match value (Email) is empty, so there is no record to update',
		);
	});
});

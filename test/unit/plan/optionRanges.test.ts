import {
	optionRangeProblem,
	requestsInFlight,
} from '../../../nodes/SkeepersFeedApplication/plan/optionRanges';

describe('optionRangeProblem', () => {
	it('accepts unset options and values in range', () => {
		expect(optionRangeProblem({})).toBeUndefined();
		expect(optionRangeProblem({ batchSize: 1, concurrency: 0 })).toBeUndefined();
		expect(optionRangeProblem({ batchSize: 200, concurrency: 25 })).toBeUndefined();
	});

	it.each([0, 201, 1.5, -3, '50', Number.NaN])(
		'refuses Batch Size %p with its range',
		(batchSize) => {
			expect(optionRangeProblem({ batchSize })).toMatch(
				/^Batch Size must be a whole number from 1 to 200 .*; got /,
			);
		},
	);

	it.each([26, -1, 2.5, 'auto', 100])(
		'refuses Requests in Flight %p with its range',
		(concurrency) => {
			expect(optionRangeProblem({ concurrency })).toMatch(
				/^Requests in Flight must be 0 \(Auto\) or a whole number from 1 to 25; got /,
			);
		},
	);
});

describe('requestsInFlight', () => {
	it('unset or 0 is Auto; a number stays fixed', () => {
		expect(requestsInFlight(undefined)).toBe('auto');
		expect(requestsInFlight(0)).toBe('auto');
		expect(requestsInFlight(4)).toBe(4);
	});
});

import {
	parseApiUsage,
	parseLimitInfoHeader,
	usageRatio,
} from '../../../nodes/SkeepersFeedApplication/salesforce/limits';

describe('Sforce-Limit-Info', () => {
	it('parses api-usage', () => {
		expect(parseApiUsage('api-usage=18/5000')).toEqual({ used: 18, max: 5000 });
	});
	it('parses the per-app entry and keeps the org-wide one', () => {
		expect(
			parseLimitInfoHeader(
				'api-usage=25/5000, per-app-api-usage=17/250(appName=sample-connected-app)',
			),
		).toEqual({
			apiUsage: { used: 25, max: 5000 },
			perAppUsage: { used: 17, max: 250, appName: 'sample-connected-app' },
		});
		expect(parseApiUsage('per-app-api-usage=17/250(appName=x), api-usage=25/5000')).toEqual({
			used: 25,
			max: 5000,
		});
	});
	it('tolerates spaces and arrays; ignores garbage', () => {
		expect(parseApiUsage([' api-usage = 7 / 100 '])).toEqual({ used: 7, max: 100 });
		expect(parseApiUsage('nothing here')).toBeUndefined();
		expect(parseApiUsage(undefined)).toBeUndefined();
		expect(parseApiUsage('')).toBeUndefined();
	});
	it('usageRatio', () => {
		expect(usageRatio({ used: 50, max: 200 })).toBe(0.25);
		expect(usageRatio({ used: 1, max: 0 })).toBeUndefined();
	});
});

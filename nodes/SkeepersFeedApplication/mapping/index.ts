/** Pure mapping for the Feed Application: transformations, rows → record, pre-flight validation. */
export * from './types';
export * from './transformations';
export * from './record';
export * from './validate';
export { parseDateInput, localToEpochMs, zoneOffsetMs, isValidTimeZone } from './datetime';
export { parsePhone, planForCountry, COUNTRY_PLANS } from './phone';

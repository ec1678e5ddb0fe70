/** Pure mapping for the Feed Application: transformations, rows → record, pre-flight validation. */
export * from './types';
export * from './transformations';
export * from './record';
export * from './validate';

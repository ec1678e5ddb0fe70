/** Pure planning for the Feed Application writer: batching, lookups, duplicate keys, Bulk API 2.0 CSV. */
export * from './chunk';
export * from './soql';
export * from './keys';
export * from './csv';
export * from './bulk';
export * from './dedup';

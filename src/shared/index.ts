// The shared contract: profile and result types, their checks, and the Linux tables.
export * from './errno';
export * from './signals';
export * from './steps';
export * from './profile';
export * from './problems';
export * from './host';
export * from './validate';
export * from './result';

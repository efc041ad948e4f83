export * from './types';
export * from './fields';
export * from './diff';
export * from './conflict';
export * from './idempotency';
export * from './engine';
export * from './duplicateCandidates';

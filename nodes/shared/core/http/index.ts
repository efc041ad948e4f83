export * from './backoff';
export * from './retryPolicy';
export * from './problem';
export * from './pagination';
export * from './chunk';

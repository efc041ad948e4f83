export * from './ids';
export * from './rateLimit';
export * from './retry';
export * from './errors';
export * from './pagination';
export * from './response';
export * from './dailyBudget';

export * from './transport';
export * from './api';
export * from './participants';
export { forgetDailyBudgets } from './dailyBudgetMemory';

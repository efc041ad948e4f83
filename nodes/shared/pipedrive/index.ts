export * from './transport';
export * from './api';

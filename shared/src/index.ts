// The only entry point of @tillscope/shared. Agent and console import from here, never deeper.
export * from './errors';
export * from './i18n';
export * from './catalogue/checklist';
export * from './catalogue/codes';
export * from './catalogue/symptoms';
export * from './protocol/device';
export * from './protocol/fiscal';
export * from './protocol/printer';
export * from './protocol/envelope';
export * from './protocol/close-codes';
export * from './protocol/agent-messages';
export * from './protocol/server-messages';
export * from './protocol/parse';
export * from './api';
export * from './fiscal-api';

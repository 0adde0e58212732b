export * from './japanese-number.js';
export * from './lifecycle.js';
export * from './short-code-scheme.js';

export * from './japanese-number.js';
export * from './lifecycle.js';

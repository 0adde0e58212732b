export * from './plan-allocation.js';
export * from './commit-allocation.js';
export * from './short-codes.js';
export { carrierGates, type CarrierGate } from './carrier-gate.js';
export * from './allocate-shelter.js';

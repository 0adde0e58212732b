export * from './report-lifecycle.js';
export * from './reports-act.js';
export * from './link-number-history.js';
export * from './submit-report.js';
export * from './triage-report.js';
export * from './fraud-holds.js';
export * from './suspend-for-fraud.js';
export * from './reports-csv.js';

export { publicHandset } from '../access/projections.js';

export { renderInitSpec, type InitSpecOptions } from './spec';

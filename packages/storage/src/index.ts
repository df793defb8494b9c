export * from './storage.js';
export { openStorage, type OpenStorageOptions } from './open-storage.js';

/** This SDK's name and version, sent with every batch as the official SDKs do. @example `console.log(SDK_NAME, SDK_VERSION)` */
export const SDK_NAME = 'sightline-js';
export const SDK_VERSION = '0.1.0';

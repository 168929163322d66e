/** The SDK's API version: plugins state the range they work with in plugin.json "apiVersion". */

/**
 * Version of the public plugin API (core/sdk/mod.ts). Minor bumps add to it; a major bump
 * removes or changes something, and plugins asking for "^1.0.0" stop loading.
 */
export const SDK_API_VERSION = "1.1.0";

/// <reference types="svelte" />
/// <reference types="vite/client" />

/** The training code's version, injected by vite.config.ts from build/code-version.ts. */
declare const __FLYWHEEL_CODE_VERSION__: string;

/**
 * Debian's Chromium flags for the e2e suite and the browser benches: headless, no background
 * traffic, and WebGPU on the CPU through SwiftShader where no GPU is.
 */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--enable-unsafe-swiftshader',
];

/**
 * The same flags for a machine with a GPU (`FLYWHEEL_BENCH_GPU=1` in the browser benches): WebGPU on
 * the hardware adapter through Vulkan, not SwiftShader, and no GPU blocklist in the way.
 */
export const CHROMIUM_GPU_ARGS = [
  ...CHROMIUM_ARGS.filter((a) => !a.includes('swiftshader')),
  '--enable-features=Vulkan',
  '--use-angle=vulkan',
  '--ignore-gpu-blocklist',
];

/** `.wasm` files imported by the Worker are modules compiled ahead of time (Cloudflare's CompiledWasm rule, see edge/build-worker.ts). */
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}

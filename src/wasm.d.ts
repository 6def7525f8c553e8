// `.wasm` imports, which wrangler and the workerd test pool load as compiled modules.
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}

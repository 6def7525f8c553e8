// The part of `node:async_hooks` the Worker's `nodejs_als` flag provides (src/trace-scope.ts); workers-types has
// no Node modules, and Node's tsconfig gets the real declaration from @types/node.
declare module 'node:async_hooks' {
  export class AsyncLocalStorage<T> {
    run<R>(store: T, callback: () => R): R;
    getStore(): T | undefined;
  }
}

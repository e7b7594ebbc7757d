// PostGraphile 5.1.x (grafast, @dataplan/pg, grafserv, ...) declares engines.node >= 22.
// On Node 20 the only Node-22 API it touches is Promise.withResolvers (ES2024, Node >= 22);
// without it every SQL-backed field fails with "Cannot read properties of undefined (reading 'items')".
// This is the spec-equivalent polyfill; it is a no-op on Node >= 22.
if (typeof Promise.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers() {
      let resolve, reject;
      const promise = new this((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

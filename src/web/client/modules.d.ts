// Modules that exist only inside the bundle (see src/web/build-web.ts).

declare module 'talkgraph:examples' {
  // An ambient module cannot `import` a relative path; an import() type can.
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports
  export const catalog: import('./example').ExampleCatalog;
}

declare module '*.css';

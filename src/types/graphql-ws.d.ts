// graphql-ws publishes its ws adapter only through package.json "exports", which our
// moduleResolution (node10) does not read; node and jest do, so the import works at run
// time. This points the type checker at the same file.
declare module 'graphql-ws/use/ws' {
  export * from 'graphql-ws/dist/use/ws';
}

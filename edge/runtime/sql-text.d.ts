/** `.sql` files imported by the Worker build are their text (esbuild's `text` loader, see edge/build-worker.ts). */
declare module '*.sql' {
  const text: string;
  export default text;
}

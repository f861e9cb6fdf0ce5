// The one Vite feature the renderer's tests use (import.meta.glob with ?raw), typed without
// pulling vite/client (and with it Node types) into the browser tsconfig.
interface ImportMeta {
  glob<T = unknown>(pattern: string | string[], options?: { query?: string; import?: string; eager?: boolean }): Record<string, T>;
}

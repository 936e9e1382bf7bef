// The console is served by the platform under /console/ (the local gateway; a static site in AWS).
import { defineConfig } from "vitest/config";

export default defineConfig({
  base: "/console/",
  esbuild: { jsx: "automatic" },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 400 },
  test: { include: ["tests/**/*.test.ts", "tests/**/*.test.tsx"], environment: "node" },
});

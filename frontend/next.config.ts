import path from "node:path";
import type { NextConfig } from "next";

const config: NextConfig = {
  // The client is a workspace package written in TypeScript: Next compiles it.
  transpilePackages: ["@wellbeing-cms/client"],
  // One lock file at the repository's root (npm workspaces).
  turbopack: { root: path.join(__dirname, "..") },
  outputFileTracingRoot: path.join(__dirname, ".."),
  // Images are served by the CMS's own renditions (srcset), through a loader.
  images: { unoptimized: false },
  poweredByHeader: false,
  // The CMS's public paths end in a slash: the site's are the same paths.
  trailingSlash: true,
};

export default config;

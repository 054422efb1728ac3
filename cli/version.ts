// The tether version, set by the bundler from package.json (dist/ does not embed the
// whole manifest); sources run unbundled say 0.0.0-dev.
declare const TETHER_VERSION: string | undefined;

export const version = typeof TETHER_VERSION === "string" ? TETHER_VERSION : "0.0.0-dev";

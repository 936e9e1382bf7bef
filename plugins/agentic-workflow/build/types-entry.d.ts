// tsc writes the declarations under dist-types/repo/ (rootDir is the repository: the plugin imports the
// console's own sources); backstage-cli package build reads its entry point's types from here.
export * from "../repo/plugins/agentic-workflow/src/index";

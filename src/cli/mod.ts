/**
 * The `icoscp` command line as a function: `main(args, io)` runs one command
 * and returns its exit code.
 *
 * @module
 */

export * from "./cli.ts";

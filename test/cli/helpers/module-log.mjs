// Preloaded with `node --import ./test/cli/helpers/module-log.mjs bin/segbook.js …`: appends the URL of
// every module the process (and its worker threads) loads to the file SEGBOOK_TEST_MODULE_LOG names,
// one a line, so a test sees which code a command really ran. Node's module hooks, no mock.
import { register } from "node:module";

register("./module-log-hooks.mjs", import.meta.url, { data: { file: process.env.SEGBOOK_TEST_MODULE_LOG } });

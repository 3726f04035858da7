// Private: the one place the library names arquero and its version. The
// library is imported by path or URL from folders that have no deno.json and
// no lock file (a script anywhere, a notebook), so its npm specifiers carry
// their versions. Naming flechette (arquero's Arrow library, `^2` in its
// manifest) pins it to the version the clone's lock file tests; without it a
// fresh resolution takes the newest 2.x, which brings packages of its own.

import "npm:@uwdata/flechette@2.6.0";

export { ColumnTable, escape, table, toArrowIPC } from "npm:arquero@8.0.3";

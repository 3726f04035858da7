// Private: the options every series picture takes (plotSeries, plotDobj,
// plotStilt), checked in one list.

import type { OptionKeys } from "../_util/args.ts";
import type { PlotOptions } from "./plot.ts";

/** Every option of {@linkcode PlotOptions}. */
export const PLOT_OPTION_KEYS: OptionKeys<PlotOptions> = {
  title: true,
  subtitle: true,
  yLabel: true,
  xLabel: true,
  logY: true,
  xDomain: true,
  yDomain: true,
  width: true,
  height: true,
};

// Imported first by the offline plan's CLI for its side effect: the worker thread loads what the plan's
// certificate and diagram need on the second core, while the CLI's other imports load the SDK on this one.
import { warmUp } from "../offThread";

warmUp("selfSignedCert", "svgOf");

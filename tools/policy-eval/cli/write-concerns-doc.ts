/** `npm run docs`: rewrites docs/concerns.md from the pack and the committed policy configs. */
import * as fs from "fs";
import { CONCERNS_DOC_PATH, renderConcernsDoc } from "./concerns-doc";

renderConcernsDoc().then(
  (doc) => fs.writeFileSync(CONCERNS_DOC_PATH, doc),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);

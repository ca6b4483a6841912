/** No identical components on every server: the database runs in its own tier. */
import { answering } from "../concerns";
import { vmDisallowDatabaseServer } from "./vm-disallow-database-server";

export { vmDisallowDatabaseServer };

export const tierSeparationPolicies = answering("tier-separation", [vmDisallowDatabaseServer]);

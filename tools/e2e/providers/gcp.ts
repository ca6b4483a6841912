/** `pulumi-resource-gcp` for the end-to-end suite: the emulated provider, at the version the SDK requests. */
import { version } from "@pulumi/gcp/package.json";
import { serveEmulatedProvider } from "./emulated";

void serveEmulatedProvider("gcp", version);

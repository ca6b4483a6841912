/** `pulumi-resource-random` for the end-to-end suite: the emulated provider, at the version the SDK requests. */
import { version } from "@pulumi/random/package.json";
import { serveEmulatedProvider } from "./emulated";

void serveEmulatedProvider("random", version);

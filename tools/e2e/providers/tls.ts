/** `pulumi-resource-tls` for the end-to-end suite: the emulated provider, at the version the SDK requests. */
import { version } from "@pulumi/tls/package.json";
import { serveEmulatedProvider } from "./emulated";

void serveEmulatedProvider("tls", version);

import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./config/loadConfig";
import { DatabaseAccess, WebStack } from "./components/webStack";
import { WebGroupSummary } from "./components/web/webTier";

/** What `pulumi stack output` shows. Nothing secret is among them. */
export interface StackOutputs {
  siteUrl: pulumi.Output<string>;
  loadBalancerIp: pulumi.Output<string>;
  /** The web tier's managed instance group: its name, zones and how many VMs each zone gets. */
  webGroup: pulumi.Output<WebGroupSummary>;
  databaseConnectionNames: pulumi.Output<{ primary: string; replicas: string[] }>;
  dashboardUrl: pulumi.Output<string>;
  /** The domain's A record, and whether the stack made it or the user must. */
  dnsRecord: pulumi.Output<string>;
  /** The database's private addresses, name, user and the Secret Manager secret with the password. */
  databaseAccess: pulumi.Output<DatabaseAccess>;
}

/**
 * The program: validates the whole config before registering anything, then builds the site. index.ts
 * runs it for the CLI; the tests and the offline plan run it under Pulumi's mocks.
 */
export function program(): StackOutputs {
  const config = loadConfig();
  const site = new WebStack("foobar", config);
  return {
    siteUrl: site.siteUrl,
    loadBalancerIp: site.loadBalancerIp,
    webGroup: site.webGroup,
    databaseConnectionNames: site.databaseConnectionNames,
    dashboardUrl: site.dashboardUrl,
    dnsRecord: site.dnsRecord,
    databaseAccess: site.databaseAccess,
  };
}

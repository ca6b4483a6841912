import * as pulumi from "@pulumi/pulumi";
import * as gcp from "@pulumi/gcp";

/** Time to live of the site's A record: short enough to move the site, long enough to cache. */
export const dnsTtlSeconds = 300;

/**
 * The A record that sends `domain` to the load balancer. A Google-managed certificate only leaves
 * provisioning once the domain resolves to the load balancer's address, so without it prod never serves.
 * With a Cloud DNS zone the stack makes the record; without one, the returned line says which record to
 * make elsewhere.
 */
export function siteDnsRecord(
  name: string,
  domain: string,
  address: pulumi.Output<string>,
  dnsZone: string | undefined,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  const line = pulumi.interpolate`${domain}. ${dnsTtlSeconds} IN A ${address}`;
  if (dnsZone === undefined) {
    return pulumi.interpolate`${line} (not managed by this stack: create it where ${domain} is hosted, or set dnsZone)`;
  }
  const record = new gcp.dns.RecordSet(
    `${name}-dns`,
    { managedZone: dnsZone, name: `${domain}.`, type: "A", ttl: dnsTtlSeconds, rrdatas: [address] },
    { parent },
  );
  return pulumi.interpolate`${line} (in Cloud DNS zone ${record.managedZone})`;
}

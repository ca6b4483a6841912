import { program } from "./program";

const outputs = program();

export const siteUrl = outputs.siteUrl;
export const loadBalancerIp = outputs.loadBalancerIp;
export const webGroup = outputs.webGroup;
export const databaseConnectionNames = outputs.databaseConnectionNames;
export const dashboardUrl = outputs.dashboardUrl;
export const dnsRecord = outputs.dnsRecord;
export const databaseAccess = outputs.databaseAccess;

import { program } from "./program";

const outputs = program();

export const siteUrl = outputs.siteUrl;
export const loadBalancerIp = outputs.loadBalancerIp;
export const webInstances = outputs.webInstances;
export const databaseConnectionNames = outputs.databaseConnectionNames;
export const dashboardUrl = outputs.dashboardUrl;

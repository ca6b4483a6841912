/** Where Google's external Application Load Balancers and their health checks connect from. */
export const googleLoadBalancerRanges = ["130.211.0.0/22", "35.191.0.0/16"];

/** Where Identity-Aware Proxy TCP forwarding (SSH through IAP) connects from. */
export const iapTcpForwardingRange = "35.235.240.0/20";

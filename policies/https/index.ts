/** HTTPS only, one trusted certificate. */
import { answering } from "../concerns";
import { httpProxyRedirectsToHttpsOnly } from "./http-proxy-redirects-to-https-only";
import { httpsProxyRequiresCertificate } from "./https-proxy-requires-certificate";
import { httpsProxyRequiresManagedCertificate } from "./https-proxy-requires-managed-certificate";
import { httpsProxyRequiresSslPolicy } from "./https-proxy-requires-ssl-policy";
import { siteServedByHttpsProxy } from "./site-served-by-https-proxy";
import { sslPolicyRequiresTls12Modern } from "./ssl-policy-requires-tls-1-2-modern";

export {
  httpProxyRedirectsToHttpsOnly,
  httpsProxyRequiresCertificate,
  httpsProxyRequiresManagedCertificate,
  httpsProxyRequiresSslPolicy,
  siteServedByHttpsProxy,
  sslPolicyRequiresTls12Modern,
};

export const httpsPolicies = answering("https", [
  siteServedByHttpsProxy,
  httpsProxyRequiresCertificate,
  httpProxyRedirectsToHttpsOnly,
  httpsProxyRequiresSslPolicy,
  sslPolicyRequiresTls12Modern,
  httpsProxyRequiresManagedCertificate,
]);

/** The Ops Agent's configuration: host metrics (its default) plus nginx's request rate and logs. */
export function renderOpsAgentConfig(statusPort: number): string {
  return `metrics:
  receivers:
    nginx:
      type: nginx
      stub_status_url: http://127.0.0.1:${statusPort}/nginx_status
  service:
    pipelines:
      nginx:
        receivers: [nginx]
logging:
  receivers:
    nginx_access:
      type: nginx_access
    nginx_error:
      type: nginx_error
  service:
    pipelines:
      nginx:
        receivers: [nginx_access, nginx_error]
`;
}

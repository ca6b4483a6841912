/**
 * A service account ID derived from a component name: 6 to 30 lowercase letters, digits and hyphens,
 * starting with a letter, as the IAM API requires.
 */
export function serviceAccountId(componentName: string, suffix: string): string {
  let id = `${componentName}-${suffix}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/^[^a-z]+/, "");
  id = id.slice(0, 30).replace(/-+$/, "");
  return id.length >= 6 ? id : `${id}-account`.slice(0, 30);
}

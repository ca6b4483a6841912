/**
 * The three `Reflect` metadata functions tsyringe (a dependency of @peculiar/x509) checks for at load time.
 * The `reflect-metadata` package that normally provides them is not installed; this is the subset tsyringe
 * calls, installed only when nothing else has provided it.
 */
type MetadataTable = Map<string | symbol | undefined, Map<unknown, unknown>>;

interface ReflectMetadataApi {
  getMetadata?: (key: unknown, target: object, property?: string | symbol) => unknown;
  getOwnMetadata?: (key: unknown, target: object, property?: string | symbol) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: object, property?: string | symbol) => void;
}

export function ensureReflectMetadata(): void {
  const reflect = Reflect as unknown as ReflectMetadataApi;
  if (reflect.getMetadata && reflect.getOwnMetadata && reflect.defineMetadata) {
    return;
  }
  const tables = new WeakMap<object, MetadataTable>();
  const own = (key: unknown, target: object, property?: string | symbol): unknown =>
    tables.get(target)?.get(property)?.get(key);
  reflect.getOwnMetadata = own;
  reflect.getMetadata = (key, target, property) => {
    for (let at: object | null = target; at !== null; at = Object.getPrototypeOf(at) as object | null) {
      const value = own(key, at, property);
      if (value !== undefined) {
        return value;
      }
    }
    return undefined;
  };
  reflect.defineMetadata = (key, value, target, property) => {
    let table = tables.get(target);
    if (!table) {
      table = new Map();
      tables.set(target, table);
    }
    let entries = table.get(property);
    if (!entries) {
      entries = new Map();
      table.set(property, entries);
    }
    entries.set(key, value);
  };
}

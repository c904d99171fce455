/**
 * What a provider declares its state with (ProviderContext.state): stores of plain data and
 * asset folders for files. Whatever is declared here, the runtime resets, persists,
 * exports and imports; whatever is not, it cannot reach, so a provider keeps nothing else
 * (no module-level maps, no state in closures).
 *
 *   const params = context.state.accountRegion('parameters', () => ({ parameters: record() }));
 *   const bodies = context.state.assets('objects');   // a folder: bodies.path
 */
import { AccountRegionStore, AccountStore, GlobalStore, type ChangeSink, type Store } from './store.js';

/** A folder for a service's files (S3 bodies, Lambda code), kept with its state. */
export interface AssetFolder {
  /** The service it belongs to. */
  readonly service: string;
  /** Its name, unique within the service. */
  readonly name: string;
  /** The absolute path of the folder (it exists once declared). */
  readonly path: string;
}

/** Where a service's asset folders are made (the state manager decides: volume or temporary). */
export interface AssetPlacer {
  assetFolder(service: string, name: string): string;
}

export class ServiceState {
  private readonly declared = new Map<string, Store>();
  private readonly folders = new Map<string, AssetFolder>();

  constructor(
    readonly service: string,
    private readonly sink: ChangeSink,
    private readonly placer: AssetPlacer,
  ) {}

  private declare<S extends Store>(store: S): S {
    if (this.declared.has(store.name) || this.folders.has(store.name)) throw new Error(`${this.service}: state '${store.name}' is declared twice`);
    if (!/^[a-z0-9][a-z0-9-]*$/.test(store.name)) throw new Error(`${this.service}: state name '${store.name}' must be lower-case letters, digits and dashes`);
    store.attach(this.sink);
    this.declared.set(store.name, store);
    return store;
  }

  /** One T per (account, region). */
  accountRegion<T extends object>(name: string, create: () => T): AccountRegionStore<T> {
    return this.declare(new AccountRegionStore(this.service, name, create));
  }

  /** One T per account, shared by all regions. */
  account<T extends object>(name: string, create: () => T): AccountStore<T> {
    return this.declare(new AccountStore(this.service, name, create));
  }

  /** One T for the whole runtime (what AWS shares across accounts and regions). */
  global<T extends object>(name: string, create: () => T): GlobalStore<T> {
    return this.declare(new GlobalStore(this.service, name, create));
  }

  /**
   * A folder for files. Files in it belong to the state: a reset empties it, persistence
   * keeps it (a stable folder in the volume), export carries it. Its files are named by the
   * provider (never by user input).
   */
  assets(name: string): AssetFolder {
    if (this.declared.has(name) || this.folders.has(name)) throw new Error(`${this.service}: state '${name}' is declared twice`);
    const folder: AssetFolder = { service: this.service, name, path: this.placer.assetFolder(this.service, name) };
    this.folders.set(name, folder);
    return folder;
  }

  /** The declared stores, in declaration order. */
  stores(): readonly Store[] {
    return [...this.declared.values()];
  }

  /** The declared asset folders, in declaration order. */
  assetFolders(): readonly AssetFolder[] {
    return [...this.folders.values()];
  }

  /** A declared store by name. */
  store(name: string): Store | undefined {
    return this.declared.get(name);
  }
}

/**
 * Imported first by API tests. When Jest runs a file in band, its sandbox inherits the
 * MikroORM metadata that global setup registered in another realm, and entity discovery
 * then fails ("Method Map.prototype.set called on incompatible receiver",
 * mikro-orm/mikro-orm#3783). Dropping it before the entities load gives this file its own.
 */
delete (globalThis as Record<string, unknown>)['mikro-orm-metadata'];

export {};

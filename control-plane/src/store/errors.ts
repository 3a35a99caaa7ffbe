/** An insert hit an existing unique value (id, key hash). `field` names the API field. */
export class StoreConflictError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = "StoreConflictError";
    this.field = field;
  }
}

/** A row refers to another that does not exist (key → team, route → deployment, …). */
export class StoreReferenceError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = "StoreReferenceError";
    this.field = field;
  }
}

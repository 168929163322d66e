/** Input errors that carry the bad field's name, so callers report the field without parsing the message. */

/** Bad input of the wrong type or shape; `field` names it as the input does, e.g. "points[0].u". */
export class FieldError extends TypeError {
  /** The bad field: "points[0].u", "screening.pregnancy", "type"... */
  readonly field: string;
  constructor(field: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "FieldError";
    this.field = field;
  }
}

/** Bad input that is well-formed but not allowed (an unknown routine, time going back); `field` names it. */
export class FieldRangeError extends RangeError {
  /** The bad field: "routine", "t", "type"... */
  readonly field: string;
  constructor(field: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "FieldRangeError";
    this.field = field;
  }
}

/** The field an error names (a FieldError or FieldRangeError), or undefined for any other error. */
export function errorField(error: unknown): string | undefined {
  return error instanceof FieldError || error instanceof FieldRangeError ? error.field : undefined;
}

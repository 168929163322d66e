/** Input errors that carry the bad field's name, so callers report the field without parsing the message. */

/** Bad input of the wrong type or shape; `field` names it as the input does, e.g. "points[0].u". */
export class FieldError extends TypeError {
  override name = "FieldError";
  constructor(readonly field: string, message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** Well-formed input that is not allowed (an unknown routine, time going back); `field` names it, e.g. "t". */
export class FieldRangeError extends RangeError {
  override name = "FieldRangeError";
  constructor(readonly field: string, message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** The field an error names (a FieldError or FieldRangeError), or undefined for any other error. */
export function errorField(error: unknown): string | undefined {
  return error instanceof FieldError || error instanceof FieldRangeError ? error.field : undefined;
}
